"""The one public address of the site, from which every absolute link is built.

Canonical links, ``og:url``, JSON-LD, feeds, sitemaps, robots.txt, e-mails and the
admin all call :func:`absolute` (or :func:`page_url`) so that a reader, a crawler and
a feed reader are told the same address, whatever Host header a request arrived with
(a proxy's ``127.0.0.1:8000``, a CDN's origin name).

Where the address comes from, first match wins:

1. ``MASTHEAD_BASE_URL`` in the environment (``settings.MASTHEAD_BASE_URL``), so a
   server's configuration always decides;
2. the default Wagtail ``Site`` (hostname and port), which ``masthead init --base-url``
   sets and administrators can change under Settings > Sites. ``init`` also writes the
   address into the data folder's ``site.env`` (read as ``MASTHEAD_BASE_URL``), and the
   admin's links come from that setting only, so on a site made by ``init`` the address
   is changed there, not under Settings > Sites;
3. ``http://localhost`` when there is no site at all (a database just migrated).

A Wagtail ``Site`` cannot say "https on port 8443"; such an address has to be given
in ``MASTHEAD_BASE_URL``. Each worker keeps the value until the ``SITE`` counter moves
(masthead.core.changes), which every save or deletion of a ``Site`` does.
"""

import ipaddress
from urllib.parse import urlsplit

from django.conf import settings

from . import changes

FALLBACK = "http://localhost"


class InvalidAddress(ValueError):
    """A base URL that cannot be a site's public address."""


def normalise(url: str) -> str:
    """Return ``url`` as a site address (``scheme://host[:port]``), or raise InvalidAddress.

    Only http and https, a host name, an optional port and no path, query, fragment or
    credentials are accepted; a trailing slash is dropped and the default port omitted.
    """
    raw = (url or "").strip()
    try:
        parts = urlsplit(raw)
        port = parts.port
    except ValueError:
        raise InvalidAddress(f"{raw!r} is not a valid address.") from None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise InvalidAddress(
            f"{raw!r} is not a site address: give the scheme and host, "
            "for example https://news.example.org"
        )
    if parts.path not in ("", "/") or parts.query or parts.fragment:
        raise InvalidAddress(
            f"{raw!r} has a path, query or fragment: Masthead serves a site from the root "
            "of its address, for example https://news.example.org"
        )
    if parts.username or parts.password:
        raise InvalidAddress(f"{raw!r} must not contain a user name or password.")
    host = parts.hostname
    if ":" in host:
        host = f"[{host}]"
    default_port = 443 if parts.scheme == "https" else 80
    if port and port != default_port:
        return f"{parts.scheme}://{host}:{port}"
    return f"{parts.scheme}://{host}"


def _from_site() -> str:
    from wagtail.models import Site

    site = Site.objects.filter(is_default_site=True).only("hostname", "port").first()
    return site.root_url if site is not None else FALLBACK


def base_url() -> str:
    """Return the site's public address, ``scheme://host[:port]`` without a trailing slash."""
    configured = getattr(settings, "MASTHEAD_BASE_URL", None)
    if configured:
        return normalise(configured)
    try:
        return changes.cached("site-address", changes.SITE, _from_site)
    except Exception:
        # No database yet (a first `check`, a command before `migrate`).
        return FALLBACK


def absolute(path: str) -> str:
    """Return the absolute address of ``path`` (``"/news/"``) on the site.

    An address that is already absolute is returned unchanged; a path without its
    leading slash gets one.
    """
    if path.startswith(("http://", "https://")):
        return path
    if not path.startswith("/"):
        path = "/" + path
    return base_url() + path


def page_url(page, request=None) -> str:
    """Return the absolute address of a Wagtail ``page`` on the site, or "" if it has none."""
    parts = page.get_url_parts(request)
    if parts is None:
        return ""
    return absolute(parts[2])


def host() -> str:
    """Return the host name of the site's address (for ALLOWED_HOSTS checks)."""
    return urlsplit(base_url()).hostname or ""


def is_local(url: str | None = None) -> bool:
    """Return whether ``url`` (default: the site's address) points at this machine only."""
    name = urlsplit(url or base_url()).hostname or ""
    if name == "localhost" or name.endswith(".localhost"):
        return True
    try:
        address = ipaddress.ip_address(name)
    except ValueError:
        return False
    return address.is_loopback or address.is_unspecified
