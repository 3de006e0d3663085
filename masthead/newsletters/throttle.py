"""Limits on sign-ups per address and per client, kept in the store every process sees.

Counts live in the shared store (``masthead.core.state``: Redis, or diskcache in the
data folder), so the limits hold whichever worker answers.
"""

import hashlib

from django.conf import settings

from masthead.core import state


def _incr(key: str, timeout: int) -> int:
    """Add one to ``key`` (created with ``timeout`` seconds to live); return the new count."""
    return state.incr(key, timeout=timeout)


def _claim(key: str, timeout: int) -> bool:
    """Return True once per ``timeout`` seconds for ``key`` (an atomic add)."""
    return bool(state.store().add(key, 1, timeout))


def _digest(value: str) -> str:
    return hashlib.sha256(f"{settings.SECRET_KEY}|{value}".encode()).hexdigest()[:32]


def limits() -> dict[str, tuple[int, int]]:
    return getattr(
        settings,
        "MASTHEAD_NEWSLETTER_SIGNUP_LIMITS",
        {"address": (5, 3600), "client": (20, 600)},
    )


def allow_signup(address: str, client: str) -> bool:
    """Count a sign-up; return False when the address or the client is over its limit."""
    allowed = True
    for kind, value in (("address", address), ("client", client)):
        limit, window = limits()[kind]
        if _incr(f"newsletter-signup:{kind}:{_digest(value)}", window) > limit:
            allowed = False
    return allowed


def may_send_confirmation(address: str) -> bool:
    """Return True at most once per cool-down for one address (no two mails in minutes)."""
    seconds = getattr(settings, "MASTHEAD_NEWSLETTER_CONFIRM_COOLDOWN", 600)
    return _claim(f"newsletter-confirm-sent:{_digest(address)}", seconds)
