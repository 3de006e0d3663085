"""Count reads of republished copies: cookieless, once per reader per copy per day."""

import hashlib
from urllib.parse import urlsplit

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from .models import Republication

SEEN_SECONDS = 86400


def referrer(request) -> tuple[str, str]:
    """Return the (host, address) of the page that showed the pixel; ("", "") if unknown."""
    raw = request.META.get("HTTP_REFERER", "")[:1000]
    try:
        parts = urlsplit(raw)
    except ValueError:
        return "", ""
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return "", ""
    return parts.hostname.lower()[:255], raw


def first_read_today(article_id: int, host: str, address: str, agent: str) -> bool:
    """Return whether this reader has not read this copy today (and remember that they have).

    The reader is a digest of today's random salt (masthead.core.readers, gone after
    two days), so nothing links it to an address once the salt has expired.
    """
    from masthead.core import readers, state

    salt = readers.daily_salt("republished", timezone.localdate())
    payload = "\x1f".join(["republished", salt, str(article_id), host, address, agent])
    key = "mh:republished:" + hashlib.sha256(payload.encode()).hexdigest()
    return bool(state.store().add(key, 1, SEEN_SECONDS))


def record(article_id: int, host: str, url: str) -> None:
    now = timezone.now()
    updated = Republication.objects.filter(article_id=article_id, host=host).update(
        views=F("views") + 1, last_seen=now, last_url=url
    )
    if updated:
        return
    try:
        with transaction.atomic():
            Republication.objects.create(
                article_id=article_id,
                host=host,
                last_url=url,
                first_seen=now,
                last_seen=now,
                views=1,
            )
    except IntegrityError:  # another request created the row first
        Republication.objects.filter(article_id=article_id, host=host).update(
            views=F("views") + 1, last_seen=now, last_url=url
        )
