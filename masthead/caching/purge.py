"""Tell HTTP caches in front (Varnish, nginx) which tags changed, so they drop exactly
the pages that show a changed story.

Every page Masthead lets a shared cache keep carries ``X-Cache-Tags`` (``,site,home,
page:12,section:3,``). When tags change, one ``BAN`` request per proxy listed in
``MASTHEAD_PURGE_URL`` names them in ``X-Ban-Tags`` (``page:12|home``); the VCL in
deploy/varnish/masthead.vcl bans every stored object whose tags match. The request is
sent after the database transaction commits, so the proxy's next fetch sees the change.
"""

import logging
import urllib.request
from collections.abc import Iterable

from django.conf import settings
from django.db import transaction

logger = logging.getLogger("masthead.caching")
TIMEOUT_SECONDS = 2


def header_value(names: Iterable[str]) -> str:
    """Return the ``X-Cache-Tags`` value for ``names``: comma-delimited on both ends."""
    return "," + ",".join(sorted(names)) + ","


def proxies() -> list[str]:
    return list(getattr(settings, "MASTHEAD_PURGE_URLS", []) or [])


def _send(url: str, names: list[str]) -> None:
    request = urllib.request.Request(  # noqa: S310 (the URL comes from settings)
        url, method="BAN", headers={"X-Ban-Tags": "|".join(names)}
    )
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:  # noqa: S310
            response.read()
    except OSError as exc:
        # A proxy that is down must never stop an editor from publishing; its copies
        # expire after s-maxage anyway.
        logger.warning("Could not ban %s at %s: %s", "|".join(names), url, exc)


def ban(names: Iterable[str]) -> None:
    """Ask every configured proxy to drop the pages tagged with any of ``names``."""
    urls = proxies()
    if not urls:
        return
    names = sorted(set(names))

    def send() -> None:
        for url in urls:
            _send(url, names)

    transaction.on_commit(send)
