"""Count failures per subject in the shared store and lock the subject after too many.

The counts and locks live in masthead.core.state, so every worker, app server and
command-line run sees the same ones: a limit of five failures is five in total, not
five per worker (with per-worker memory, five workers let an attacker try about 25
passwords). The count is an atomic increment, so failures landing at the same moment
on different workers are each counted and the lock comes at exactly the limit.
"""

import hashlib
import time
from collections.abc import Callable
from dataclasses import dataclass

from . import state


@dataclass(frozen=True)
class Verdict:
    """What a throttle says about a subject: allowed or not, and for how long not."""

    allowed: bool
    failures: int = 0
    retry_after: int = 0  # seconds until the lock ends; 0 when allowed
    locked_now: bool = False  # this failure is the one that locked the subject


def _value(setting: int | Callable[[], int]) -> int:
    return int(setting() if callable(setting) else setting)


class Throttle:
    """Lock a subject for ``window`` seconds after ``limit`` failures within the window.

    ``limit`` and ``window`` may be callables, read on each use (settings changed in a
    test or at run time apply at once). Subjects are hashed: no username or address is
    stored in clear.
    """

    def __init__(
        self,
        name: str,
        *,
        limit: int | Callable[[], int],
        window: int | Callable[[], int],
    ):
        self.name = name
        self._limit = limit
        self._window = window

    @property
    def limit(self) -> int:
        return _value(self._limit)

    @property
    def window(self) -> int:
        return _value(self._window)

    def _key(self, kind: str, subject: str) -> str:
        digest = hashlib.sha256(subject.encode("utf-8", "surrogateescape")).hexdigest()[:32]
        return f"mh:throttle:{self.name}:{kind}:{digest}"

    def check(self, subject: str) -> Verdict:
        """Return whether ``subject`` may try now (one store read)."""
        until = state.store().get(self._key("lock", subject))
        if until is None:
            return Verdict(True)
        remaining = int(float(until) - time.time())
        if remaining <= 0:
            return Verdict(True)
        return Verdict(False, retry_after=remaining)

    def fail(self, subject: str) -> Verdict:
        """Count one failure of ``subject``; lock it when the count reaches the limit."""
        window = self.window
        failures = state.incr(self._key("fail", subject), timeout=window)
        if failures < self.limit:
            return Verdict(True, failures=failures)
        # add(): of several workers reaching the limit at once, one takes the lock.
        locked_now = bool(
            state.store().add(self._key("lock", subject), time.time() + window, timeout=window)
        )
        verdict = self.check(subject)
        return Verdict(
            False,
            failures=failures,
            retry_after=max(verdict.retry_after, 1),
            locked_now=locked_now,
        )

    def reset(self, subject: str) -> None:
        """Forget the failures and any lock of ``subject`` (after a success)."""
        state.store().delete_many([self._key("fail", subject), self._key("lock", subject)])
