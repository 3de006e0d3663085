"""Signed links: confirmation (expires), preferences and one-click unsubscribe (do not).

A confirmation link carries the address and the lists asked for, so nothing is stored
before its owner confirms. Preference and unsubscribe links name the subscriber and
carry a per-subscriber secret: deleting the subscriber (or changing the secret) makes
every link they were sent invalid.
"""

from django.conf import settings
from django.core import signing

CONFIRM_SALT = "masthead.newsletters.confirm"
MANAGE_SALT = "masthead.newsletters.manage"


class BadToken(Exception):
    """A link that was altered, forged, expired or belongs to a deleted subscriber."""


def confirm_max_age() -> int:
    return getattr(settings, "MASTHEAD_NEWSLETTER_CONFIRM_SECONDS", 3 * 24 * 3600)


def make_confirm_token(email: str, newsletter_ids: list[int]) -> str:
    """Return a signed, timestamped token for confirming these lists for this address."""
    return signing.dumps(
        {"e": email, "n": sorted(newsletter_ids)}, salt=CONFIRM_SALT, compress=True
    )


def read_confirm_token(token: str) -> tuple[str, list[int], float]:
    """Return (address, newsletter ids, signed-at timestamp) or raise ``BadToken``."""
    if not isinstance(token, str) or len(token) > 2000:
        raise BadToken
    try:
        payload = signing.loads(token, salt=CONFIRM_SALT, max_age=confirm_max_age())
        signed_at = _timestamp(token)
    except (signing.BadSignature, ValueError, TypeError):
        raise BadToken from None
    if not isinstance(payload, dict) or not isinstance(payload.get("e"), str):
        raise BadToken
    ids = payload.get("n")
    if not isinstance(ids, list) or not all(isinstance(i, int) for i in ids):
        raise BadToken
    return payload["e"], ids, signed_at


def _timestamp(token: str) -> float:
    # signing.dumps appends ":TIMESTAMP:SIGNATURE"; the timestamp is base62.
    return float(signing.b62_decode(token.rsplit(":", 2)[-2]))


def make_manage_token(subscriber, newsletter_id: int | None = None) -> str:
    """Return a token for the preference page, or for unsubscribing from one list."""
    value = f"{subscriber.pk}.{subscriber.secret}.{newsletter_id or 0}"
    return signing.Signer(salt=MANAGE_SALT).sign(value)


def read_manage_token(token: str):
    """Return (subscriber, newsletter id or None) or raise ``BadToken``."""
    from .models import Subscriber

    try:
        value = signing.Signer(salt=MANAGE_SALT).unsign(token)
        pk, secret, newsletter_id = value.split(".")
        subscriber = Subscriber.objects.get(pk=int(pk))
    except (signing.BadSignature, ValueError, Subscriber.DoesNotExist):
        raise BadToken from None
    if not signing.constant_time_compare(secret, subscriber.secret):
        raise BadToken
    return subscriber, int(newsletter_id) or None
