"""Count attempts in the shared store and lock a key after too many (sign-in and others).

A ``Scope`` is one kind of attempt with its own limit and lock time: failed sign-ins per
(username, address), wrong page and document passwords per (restriction, address),
password-reset requests per address and per client. Counting and locking is
``masthead.core.throttle.Throttle``, in the store every process sees
(``core.state``: Redis when configured, diskcache in the data folder otherwise), so a
guesser cannot spread attempts over workers: the lock comes at exactly the limit.

Sign-in: five failures lock that (username, address) pair for fifteen minutes
(``MASTHEAD_LOGIN_FAILURE_LIMIT``, ``MASTHEAD_LOGIN_LOCK_SECONDS``). Keying on the pair
means an attacker guessing one editor's password from one address is stopped, while the
editor can still sign in from the newsroom. Every lock is logged with its key parts.
"""

import logging
from dataclasses import dataclass
from functools import cached_property

from django.conf import settings
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.dispatch import receiver

from masthead.core.clients import client_address
from masthead.core.throttle import Throttle

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Scope:
    """One kind of attempt: at most ``limit`` within ``seconds``, then locked for ``seconds``."""

    name: str
    limit_setting: str
    default_limit: int
    seconds_setting: str
    default_seconds: int

    def limit(self) -> int:
        return int(getattr(settings, self.limit_setting, self.default_limit))

    def seconds(self) -> int:
        return int(getattr(settings, self.seconds_setting, self.default_seconds))

    @cached_property
    def throttle(self) -> Throttle:
        return Throttle(self.name, limit=self.limit, window=self.seconds)

    @staticmethod
    def _subject(parts: tuple) -> str:
        return "|".join(str(p).strip().lower() for p in parts)

    def _key(self, kind: str, parts: tuple) -> str:
        return self.throttle._key("fail" if kind == "count" else kind, self._subject(parts))

    def is_locked(self, *parts) -> bool:
        """Return True while this key may not try again."""
        return not self.throttle.check(self._subject(parts)).allowed

    def hit(self, *parts) -> bool:
        """Count one attempt; lock the key when it reaches the limit. Return True if locked."""
        verdict = self.throttle.fail(self._subject(parts))
        if verdict.locked_now:
            logger.warning(
                "Throttle %s locked %r for %d s after %d attempts",
                self.name,
                parts,
                self.seconds(),
                verdict.failures,
            )
        return not verdict.allowed

    def clear(self, *parts) -> None:
        self.throttle.reset(self._subject(parts))

    def minutes(self) -> int:
        return max(1, round(self.seconds() / 60))


LOGIN = Scope("login", "MASTHEAD_LOGIN_FAILURE_LIMIT", 5, "MASTHEAD_LOGIN_LOCK_SECONDS", 900)
# Wrong passwords for one password-protected page or collection, from one client.
PAGE_PASSWORD = Scope(
    "page-password",
    "MASTHEAD_PAGE_PASSWORD_FAILURE_LIMIT",
    5,
    "MASTHEAD_PAGE_PASSWORD_LOCK_SECONDS",
    900,
)
# Password-reset requests (each one sends an e-mail), per address asked for and per client.
RESET_ADDRESS = Scope(
    "reset-address", "MASTHEAD_RESET_ADDRESS_LIMIT", 3, "MASTHEAD_RESET_SECONDS", 3600
)
RESET_CLIENT = Scope(
    "reset-client", "MASTHEAD_RESET_CLIENT_LIMIT", 10, "MASTHEAD_RESET_SECONDS", 3600
)


def failure_limit() -> int:
    return LOGIN.limit()


def lock_seconds() -> int:
    return LOGIN.seconds()


def is_locked(username: str | None, request) -> bool:
    """Return True when this username may not sign in from this client for now."""
    if not username:
        return False
    return LOGIN.is_locked(username, client_address(request))


def lock_message() -> str:
    from django.utils.translation import gettext

    return gettext(
        "Too many failed sign-ins for this account from your address. Sign-in is "
        "locked for %(minutes)d minutes; try again later or ask an administrator."
    ) % {"minutes": LOGIN.minutes()}


def record_failure(username: str | None, request) -> None:
    if not username or request is None:
        return
    LOGIN.hit(username, client_address(request))


def clear(username: str, request) -> None:
    LOGIN.clear(username, client_address(request))


@receiver(user_login_failed, dispatch_uid="masthead-login-failed")
def _on_failure(sender, credentials, request=None, **kwargs):
    record_failure(credentials.get("username"), request)


@receiver(user_logged_in, dispatch_uid="masthead-logged-in")
def _on_success(sender, request, user, **kwargs):
    if request is not None:
        clear(user.get_username(), request)
