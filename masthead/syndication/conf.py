"""The app's settings, with the defaults used when a project sets none."""

from django.conf import settings


def feed_full_text() -> bool:
    """Return whether feeds carry the whole story (True) or its standfirst (False)."""
    return bool(getattr(settings, "MASTHEAD_FEED_FULL_TEXT", False))


def feed_page_size() -> int:
    """Return how many stories one feed response holds; older ones are on further pages."""
    return max(1, int(getattr(settings, "MASTHEAD_FEED_ITEMS", 50)))


def sitemap_page_size() -> int:
    """Return how many addresses one sitemap page lists (the protocol allows 50,000)."""
    return max(1, min(50_000, int(getattr(settings, "MASTHEAD_SITEMAP_PAGE_SIZE", 5_000))))


def publisher_logo() -> str:
    """Return the static path of the publisher logo used in JSON-LD and feeds."""
    return getattr(settings, "MASTHEAD_PUBLISHER_LOGO", "masthead/syndication/logo.png")
