"""Publish scheduled stories on time without an operator-configured cron job.

`masthead serve` and `masthead demo` start this loop beside the web server. When
several app servers share one database and one cache, a cache lock lets only one of
them run each pass, so a story is never published twice at once.
"""

import logging
import threading
import time

from django.core.cache import cache
from django.core.management import call_command
from django.db import close_old_connections

logger = logging.getLogger("masthead.scheduler")
LOCK_KEY = "masthead:scheduler-lock"


def run_once() -> bool:
    """Run one publishing pass if no other process holds the lock; return whether it ran."""
    if not cache.add(LOCK_KEY, "1", timeout=120):
        return False
    try:
        call_command("publish_scheduled", verbosity=0)
        return True
    except Exception:
        # A failing pass must not stop later passes: log it and try again next time.
        logger.exception("Scheduled publishing pass failed")
        return False
    finally:
        cache.delete(LOCK_KEY)


def run_forever(interval: float, stop: threading.Event | None = None) -> None:
    """Run a publishing pass every ``interval`` seconds until ``stop`` is set."""
    stop = stop or threading.Event()
    logger.info("Scheduler running every %ss", interval)
    while not stop.is_set():
        started = time.monotonic()
        # A long-lived loop must drop connections the database has closed meanwhile.
        close_old_connections()
        run_once()
        close_old_connections()
        stop.wait(max(1.0, interval - (time.monotonic() - started)))
