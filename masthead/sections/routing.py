"""Find the site, its home page and a section for a request without asking the database.

Every uncached page starts by resolving its address: Wagtail looks up the site for the
Host header, loads the site's root page, then its specific home page, then (here) the
section. Each is one query whose building costs more CPU than the page's SQLite work.
Sites, the home page and the sections are few and change rarely, so each worker keeps
them until the ``SITE`` counter moves (masthead.core.changes), which every save of a
site, the home page, a section or a view restriction does. The story itself is always
read from the database.
"""

from django.http import HttpRequest
from django.http.request import split_domain_port
from wagtail.models import Site
from wagtail.models.sites import (
    MATCH_DEFAULT,
    MATCH_HOSTNAME,
    MATCH_HOSTNAME_DEFAULT,
    MATCH_HOSTNAME_PORT,
)

from masthead.core import changes


def _sites() -> list:
    """Return every site with its specific root page, in the database's order."""

    def compute():
        sites = list(Site.objects.select_related("root_page").order_by("pk"))
        for site in sites:
            site.root_page = site.root_page.specific
        return sites

    return changes.cached("routing:sites", changes.SITE, compute)


def _match(site, hostname: str, port: int) -> int:
    if site.hostname == hostname and site.port == port:
        return MATCH_HOSTNAME_PORT
    if site.hostname == hostname and site.is_default_site:
        return MATCH_HOSTNAME_DEFAULT
    if site.is_default_site:
        return MATCH_DEFAULT
    return MATCH_HOSTNAME


def site_for(hostname: str, port: int):
    """Return the site for ``hostname`` and ``port`` as Wagtail's own lookup would, or None.

    The same rules as ``wagtail.models.sites.get_site_for_hostname``, applied to the
    cached list of sites.
    """
    candidates = [s for s in _sites() if s.hostname == hostname or s.is_default_site]
    candidates.sort(key=lambda s: _match(s, hostname, port))
    if not candidates:
        return None
    first = _match(candidates[0], hostname, port)
    if len(candidates) == 1 or first in (MATCH_HOSTNAME_PORT, MATCH_HOSTNAME_DEFAULT):
        return candidates[0]
    if first == MATCH_DEFAULT:
        return candidates[len(candidates) == 2]
    return None


def sections_by_slug(home) -> dict:
    """Return the section pages under ``home`` (specific, every field), by slug."""
    from .models import SectionPage

    def compute():
        return {s.slug: s for s in SectionPage.objects.child_of(home)}

    return changes.cached(f"routing:sections:{home.pk}", changes.SITE, compute)


class CachedSiteMiddleware:
    """Give Wagtail the request's site from the cached list (``request._wagtail_site``)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest):
        if not hasattr(request, "_wagtail_site"):
            hostname = split_domain_port(request._get_raw_host())[0]
            try:
                site = site_for(hostname, request.get_port())
            except Exception:
                site = Site.find_for_request(request)  # Wagtail's own lookup
            request._wagtail_site = site
        return self.get_response(request)
