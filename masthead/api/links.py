"""Absolute addresses in API answers: the site's one public address, not the Host header."""

from django.http import HttpRequest
from django.utils.encoding import iri_to_uri

from masthead.core import site_address


def absolute(path: str, request: HttpRequest | None = None) -> str:
    """Return the absolute address of ``path`` on the site."""
    return site_address.absolute(path)


def page_url(page, request: HttpRequest | None = None) -> str:
    """Return the absolute address of a Wagtail page, or "" when it has none."""
    parts = page.get_url_parts(request)
    if parts is None:
        return ""
    return iri_to_uri(absolute(parts[2], request))
