"""What the masthead, footer, feeds and JSON-LD say about the publication, cached.

One dict per site, built from the SiteIdentity and Menus settings and the live
information pages, kept until the ``SITE`` or ``STORIES`` counter moves
(``core.changes``): saving either setting (watched in ``navigation.apps``), publishing
a home page, section or information page, or a view restriction bumps ``SITE``; a
story a menu links to bumps ``STORIES``.
"""

import hashlib

from django.conf import settings

from masthead.core import changes

COUNTERS = (changes.SITE, changes.STORIES)


def _link(block_value) -> dict | None:
    page, url, label = block_value.get("page"), block_value.get("url"), block_value.get("label")
    if page is not None:
        page = page.specific_deferred
        if not page.live or page.get_view_restrictions().exists():
            return None  # a draft or private page is never linked for readers
        parts = page.get_url_parts()
        if parts is None:
            return None
        return {"label": label or page.title, "url": parts[2]}
    if url:
        return {"label": label, "url": url}
    return None


def _links(stream) -> list[dict]:
    return [link for link in (_link(block.value) for block in stream) if link]


def _picture(image, spec: str) -> dict | None:
    """Return the URL and size of a rendition of ``image``, or None (no image, or no file)."""
    if not image:
        return None
    try:
        rendition = image.get_rendition(spec)
    except Exception:
        return None  # a missing image file must not take every page down
    return {"url": rendition.url, "width": rendition.width, "height": rendition.height}


def _svg_icon(identity) -> dict | None:
    """Return the SVG favicon's text and versioned address, or None (none, or unreadable)."""
    if not identity or not identity.favicon_svg:
        return None
    try:
        with identity.favicon_svg.open("rb") as file:
            text = file.read().decode("utf-8")
    except (OSError, UnicodeDecodeError, ValueError):
        return None  # a lost file must not take every page down
    version = hashlib.sha256(text.encode()).hexdigest()[:12]
    return {"url": f"/favicon.svg?v={version}", "text": text}


def _compute(site) -> dict:
    from masthead.pages.models import TRUST_PROPERTIES, information_pages

    from .models import Menus, SiteIdentity

    identity = SiteIdentity.objects.filter(site=site).select_related("logo", "favicon").first()
    menus = Menus.objects.filter(site=site).first()
    pages = information_pages(site)
    logo = _picture(identity and identity.logo, "fill-512x512|format-png")
    favicon = None
    if identity and identity.favicon:
        # A PNG for the tab and one for a phone's home screen, whatever was uploaded
        # (Masthead's image uploads are checked bitmaps; SVG is not among them).
        small = _picture(identity.favicon, "fill-32x32|format-png")
        large = _picture(identity.favicon, "fill-180x180|format-png")
        if small and large:
            favicon = {"icon": small, "touch": large}
    trust = {}
    for page in pages:
        for prop in TRUST_PROPERTIES.get(page["kind"], ()):
            trust.setdefault(prop, page["path"])
    return {
        "name": (identity and identity.name) or settings.WAGTAIL_SITE_NAME,
        "tagline": identity.tagline if identity else "",
        "description": identity.description if identity else "",
        "logo": logo,
        "favicon": favicon,
        "favicon_svg": _svg_icon(identity),
        "contact_email": identity.contact_email if identity else "",
        "contact_address": identity.contact_address if identity else "",
        "footer_text": identity.footer_text if identity else "",
        "social": [
            {"network": b.value["network"], "url": b.value["url"]}
            for b in (identity.social_accounts if identity else [])
        ],
        "header": _links(menus.header) if menus else [],
        "footer": (_links(menus.footer) if menus else [])
        or [{"label": p["title"], "url": p["path"]} for p in pages],
        "pages": pages,
        "trust": trust,
    }


def site_identity(site) -> dict:
    """Return the identity, menus and policy pages of ``site`` (defaults when ``site`` is None)."""
    if site is None:
        return {
            "name": settings.WAGTAIL_SITE_NAME, "tagline": "", "description": "", "logo": None,
            "favicon": None, "favicon_svg": None,
            "contact_email": "", "contact_address": "", "footer_text": "", "social": [],
            "header": [], "footer": [], "pages": [], "trust": {},
        }  # fmt: skip
    return changes.cached(f"navigation:site:{site.pk}", COUNTERS, lambda: _compute(site))


def for_request(request) -> dict:
    """Return :func:`site_identity` for the request's site."""
    from wagtail.models import Site

    return site_identity(Site.find_for_request(request) if request is not None else None)
