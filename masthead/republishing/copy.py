"""The HTML a partner pastes to republish a story: clean, self-contained, with credit.

Only what the licence lets travel goes in: headline, byline, standfirst, the body's
paragraphs, headings and quotations, pictures marked republishable (with caption and
credit), embeds as plain links, the corrections, a credit line with the canonical
address and the licence, and a 1x1 counting image. No classes, scripts or styles of
ours: the partner's own styles apply.
"""

from django.conf import settings
from django.core import signing
from django.urls import reverse
from django.utils import formats
from django.utils.encoding import iri_to_uri
from django.utils.html import escape, format_html
from django.utils.translation import gettext as _

from masthead.core import site_address
from masthead.core.html import absolute_html

# The same signed, cookieless token as the Popular beacon (discovery.counter), under a
# namespace of its own and without an expiry: a republished copy counts for years,
# while a page's beacon token only has to outlive the page cache.
TOKEN_SALT = "masthead.republishing.pixel"  # noqa: S105 - a signing namespace, not a secret
IMAGE_SPEC = "width-1200"


def make_token(article_id: int) -> str:
    return signing.Signer(salt=TOKEN_SALT).sign(str(article_id))


def read_token(token: str) -> int | None:
    try:
        value = signing.Signer(salt=TOKEN_SALT).unsign(token)
    except signing.BadSignature:
        return None
    return int(value) if value.isdigit() else None


def base_url(request) -> str:
    return site_address.base_url()


def _figure(image, caption: str, credit: str, base: str) -> str:
    """Return a picture with ``caption`` as given: callers resolve the library fallback."""
    try:
        rendition = image.get_rendition(IMAGE_SPEC)
    except Exception:
        return ""
    credit = credit or image.credit or settings.WAGTAIL_SITE_NAME
    return format_html(
        '<figure><img src="{}" width="{}" height="{}" alt="{}"><figcaption>{}{} {}</figcaption></figure>',
        iri_to_uri(base + rendition.url),
        rendition.width,
        rendition.height,
        image.default_alt_text,
        f"{caption} " if caption else "",
        _("Photo:"),
        credit,
    )


def _block(block, base: str) -> str:
    kind, value = block.block_type, block.value
    if kind == "paragraph":
        return absolute_html(str(value), base)
    if kind == "heading":
        return format_html("<h2>{}</h2>", value)
    if kind == "quote":
        who = ", ".join(part for part in (value.get("attribution"), value.get("role")) if part)
        if who:
            return format_html("<blockquote><p>{}</p><p>— {}</p></blockquote>", value["quote"], who)
        return format_html("<blockquote><p>{}</p></blockquote>", value["quote"])
    if kind == "image":
        image = value.get("image")
        if image is None or not image.republishable:
            return ""
        return _figure(image, value.shown_caption, value.get("credit", ""), base)
    if kind == "embed":
        embed = value.get("embed")
        url = getattr(embed, "url", "")
        if not url:
            return ""
        return format_html('<p><a href="{}">{}</a></p>', url, value.get("caption") or url)
    return ""


def republish_html(story, request) -> str:
    """Return the HTML a partner copies to republish ``story``."""
    base = base_url(request)
    canonical = iri_to_uri(base + story.get_url_parts(request)[2])
    licence = story.licence_terms
    site = settings.WAGTAIL_SITE_NAME
    parts = [format_html("<h1>{}</h1>", story.title)]
    if story.byline:
        parts.append(format_html("<p>{} {}, {}</p>", _("By"), story.byline, site))
    parts.append(format_html("<p><strong>{}</strong></p>", story.standfirst))
    if story.lead_image is not None and story.lead_image.republishable:
        parts.append(_figure(story.lead_image, story.caption, story.credit, base))
    parts += [html for html in (_block(block, base) for block in story.body) if html]
    for correction in story.correction_list:
        parts.append(
            format_html(
                "<p><em>{} ({}): {}</em></p>",
                _("Correction"),
                formats.date_format(correction.published_at, "DATE_FORMAT"),
                correction.text,
            )
        )
    licence_link = (
        format_html('<a href="{}">{}</a>', licence.url, licence.name)
        if licence.url
        else escape(licence.name)
    )
    published = formats.date_format(story.first_published_at, "DATE_FORMAT")
    parts.append(
        format_html(
            '<p>{} <a href="{}">{}</a> {} {}. {} {}.</p>',
            _("This story was first published by"),
            canonical,
            site,
            _("on"),
            published,
            _("It is republished under"),
            licence_link,
        )
    )
    pixel = base + reverse("republishing_pixel", args=[make_token(story.pk)])
    parts.append(
        format_html(
            '<img src="{}" width="1" height="1" alt="" referrerpolicy="no-referrer-when-downgrade" '
            'style="border:0;width:1px;height:1px">',
            pixel,
        )
    )
    return "\n".join(str(part) for part in parts)
