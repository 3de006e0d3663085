"""One log line when a service a request needs stops answering, one when it is back.

A database or Redis outage fails every request that touches it. Logging each failure
(a traceback per request, often several) buries the one line an operator needs and
fills the disk: one Redis outage once logged 23 MB in five seconds. An :class:`Outage`
logs a warning on the first failure, a count at most every ``remind_seconds`` while it
lasts, and one line when the service answers again.
"""

import logging
import threading
import time


class Outage:
    """The state of one outside service as this process sees it."""

    def __init__(self, logger: logging.Logger, service: str, remind_seconds: float = 60):
        self.logger = logger
        self.service = service
        self.remind_seconds = remind_seconds
        self._lock = threading.Lock()
        self._since: float | None = None
        self._failures = 0
        self._reminded = 0.0

    @property
    def active(self) -> bool:
        return self._since is not None

    def failed(self, detail: str) -> None:
        """Record one failure; log only the first of an outage and a periodic count."""
        now = time.monotonic()
        with self._lock:
            self._failures += 1
            if self._since is None:
                self._since = self._reminded = now
                self._failures = 1
                self.logger.warning("%s unavailable: %s", self.service, detail)
            elif now - self._reminded >= self.remind_seconds:
                self._reminded = now
                self.logger.warning(
                    "%s still unavailable after %.0f s (%d failed requests): %s",
                    self.service,
                    now - self._since,
                    self._failures,
                    detail,
                )

    def recovered(self) -> None:
        """Record a success; log the end of an outage if one was under way."""
        if self._since is None:  # the common case: no lock, no work
            return
        with self._lock:
            if self._since is None:
                return
            self.logger.warning(
                "%s available again after %.1f s (%d failed requests).",
                self.service,
                time.monotonic() - self._since,
                self._failures,
            )
            self._since = None
            self._failures = 0
