"""The newsroom's image library: every image carries a default caption and credit."""

import os
import secrets

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.images.models import AbstractImage, AbstractRendition, Image


class MastheadImage(AbstractImage):
    caption = models.CharField(
        max_length=400,
        blank=True,
        help_text=_("Who, where, when. Used wherever a story does not give its own caption."),
    )
    credit = models.CharField(
        max_length=200,
        blank=True,
        help_text=_(
            "Who took or supplied the picture, e.g. 'Ana Petrosyan / Meridian Ledger'. "
            "Always shown with the image."
        ),
    )

    republishable = models.BooleanField(
        default=False,
        help_text=_(
            "Partner outlets may republish this picture with our stories: we own it, or "
            "its licence allows it. Pictures not marked are left out of republished copies."
        ),
    )

    admin_form_fields = (*Image.admin_form_fields, "caption", "credit", "republishable")

    @property
    def default_alt_text(self) -> str:
        # Wagtail's `description` field is the alt text; a caption is a better
        # fallback than the file title.
        return self.description or self.caption or self.title


class MastheadRendition(AbstractRendition):
    image = models.ForeignKey(MastheadImage, on_delete=models.CASCADE, related_name="renditions")

    class Meta:
        unique_together = (("image", "filter_spec", "focal_point_key"),)

    def get_upload_to(self, filename):
        # Browsers keep renditions for a year (masthead.core.views.media_cache_control), so
        # an address must never serve other pixels: a random part keeps it new even when
        # a deleted picture's file name comes back with another upload.
        base, extension = os.path.splitext(filename)
        return super().get_upload_to(f"{base}.{secrets.token_hex(4)}{extension}")
