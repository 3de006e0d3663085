"""The one rendition of a lead image that feeds, JSON-LD and social cards share."""

import logging
from dataclasses import dataclass

from django.http import HttpRequest

from masthead.core.site_address import absolute

# A JPEG is what every feed reader and social network accepts; 1200 px wide is what
# Google and the social cards ask for as a minimum for large previews.
logger = logging.getLogger(__name__)

SHARE_IMAGE_SPEC = "max-1200x1200|format-jpeg"


@dataclass(frozen=True)
class ShareImage:
    url: str
    width: int
    height: int
    mime_type: str
    length: int
    alt: str
    caption: str
    credit: str

    def as_feed_dict(self) -> dict:
        return {
            "url": self.url,
            "width": self.width,
            "height": self.height,
            "mime_type": self.mime_type,
            "description": self.caption or self.alt,
            "credit": self.credit,
        }


def share_image(story, request: HttpRequest) -> ShareImage | None:
    """Return the story's lead image as an absolute JPEG rendition, or None."""
    image = story.lead_image
    if image is None:
        return None
    try:
        rendition = image.get_rendition(SHARE_IMAGE_SPEC)
    except Exception:
        # A missing or broken image file must not take a feed or a story page down.
        logger.warning("No share rendition for image %s", image.pk, exc_info=True)
        return None
    try:
        length = rendition.file.size
    except (OSError, ValueError):
        length = 0
    return ShareImage(
        url=absolute(rendition.url),
        width=rendition.width,
        height=rendition.height,
        mime_type="image/jpeg",
        length=length,
        alt=image.default_alt_text,
        caption=story.caption,
        credit=story.credit,
    )
