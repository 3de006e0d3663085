"""Lock a username for one client address after repeated failed sign-ins.

Failures are counted in the cache per (username, address): five failures lock that
pair for fifteen minutes (``MASTHEAD_LOGIN_FAILURE_LIMIT``,
``MASTHEAD_LOGIN_LOCK_SECONDS``). Keying on the pair means an attacker guessing one
editor's password from one address is stopped, while the editor can still sign in from
the newsroom. Every lock is logged with the username and address.
"""

import hashlib
import logging

from django.conf import settings
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.core.cache import cache
from django.dispatch import receiver

logger = logging.getLogger(__name__)


def failure_limit() -> int:
    return getattr(settings, "MASTHEAD_LOGIN_FAILURE_LIMIT", 5)


def lock_seconds() -> int:
    return getattr(settings, "MASTHEAD_LOGIN_LOCK_SECONDS", 15 * 60)


def client_address(request) -> str:
    """Return the client's address: REMOTE_ADDR, or a header the proxy in front sets."""
    if request is None:
        return ""
    header = getattr(settings, "MASTHEAD_CLIENT_IP_HEADER", "")
    if header and request.META.get(header):
        # X-Forwarded-For may hold a chain; the proxy appends the address it saw last.
        return request.META[header].split(",")[-1].strip()
    return request.META.get("REMOTE_ADDR", "")


def _key(kind: str, username: str, address: str) -> str:
    digest = hashlib.sha256(f"{username.strip().lower()}|{address}".encode()).hexdigest()
    return f"masthead-login-{kind}-{digest[:32]}"


def is_locked(username: str | None, request) -> bool:
    """Return True when this username may not sign in from this client for now."""
    if not username:
        return False
    return bool(cache.get(_key("lock", username, client_address(request))))


def lock_message() -> str:
    from django.utils.translation import gettext

    minutes = max(1, round(lock_seconds() / 60))
    return gettext(
        "Too many failed sign-ins for this account from your address. Sign-in is "
        "locked for %(minutes)d minutes; try again later or ask an administrator."
    ) % {"minutes": minutes}


def record_failure(username: str | None, request) -> None:
    if not username or request is None:
        return
    address = client_address(request)
    key = _key("fail", username, address)
    cache.add(key, 0, lock_seconds())
    try:
        failures = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, lock_seconds())
        failures = 1
    if failures >= failure_limit() and not cache.get(_key("lock", username, address)):
        cache.set(_key("lock", username, address), 1, lock_seconds())
        logger.warning(
            "Sign-in locked for username %r from %s for %d s after %d failed attempts",
            username,
            address,
            lock_seconds(),
            failures,
        )


def clear(username: str, request) -> None:
    address = client_address(request)
    cache.delete_many([_key("fail", username, address), _key("lock", username, address)])


@receiver(user_login_failed, dispatch_uid="masthead-login-failed")
def _on_failure(sender, credentials, request=None, **kwargs):
    record_failure(credentials.get("username"), request)


@receiver(user_logged_in, dispatch_uid="masthead-logged-in")
def _on_success(sender, request, user, **kwargs):
    if request is not None:
        clear(user.get_username(), request)
