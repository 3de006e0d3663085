"""Publish scheduled stories on time and do the daily upkeep, without a cron job.

`masthead serve` and `masthead demo` start this loop in a process of its own beside
the web server. Each pass runs ``PASS_COMMANDS`` (scheduled publishing, the Popular
ranking) and, once a day, the upkeep. When several app servers share one database and
one store, a lock in the shared store (masthead.core.state) lets only one of them run
each pass, so a story is never published twice at once. A lock that cannot be taken because
the store fails is not a lock held by someone else: the pass is skipped with a warning,
never silently.
"""

import logging
import os
import threading
import time

from django.core.management import call_command
from django.db import close_old_connections

from masthead.core import state

from . import upkeep

logger = logging.getLogger("masthead.scheduler")
LOCK_KEY = "mh:lock:scheduler"
LOCK_SECONDS = 120
# Live entries whose scheduled time has come (masthead.live) are announced each pass.
PASS_COMMANDS = ("publish_scheduled", "refresh_rankings", "announce_live_entries")


def run_once() -> bool:
    """Run one pass if no other process holds the lock; return whether it ran."""
    store = state.store()
    try:
        taken = store.add(LOCK_KEY, os.getpid(), timeout=LOCK_SECONDS)
    except Exception as exc:
        logger.warning("Scheduler pass skipped: the shared store failed (%s)", exc)
        return False
    if not taken:
        return False
    try:
        for command in PASS_COMMANDS:
            try:
                call_command(command, verbosity=0)
            except Exception:
                # A failing command must not stop the others or later passes.
                logger.exception("Scheduler command %s failed", command)
        upkeep.run_daily()
        return True
    finally:
        try:
            store.delete(LOCK_KEY)
        except Exception:
            logger.warning("Could not release the scheduler lock; it expires in %d s", LOCK_SECONDS)


def seconds_until_next_due() -> float | None:
    """Return the seconds until the next scheduled publication or expiry (None: nothing due)."""
    from django.utils import timezone
    from wagtail.models import Page, Revision

    expiry = (
        Page.objects.filter(live=True, expire_at__isnull=False)
        .order_by("expire_at")
        .values_list("expire_at", flat=True)
        .first()
    )
    go_live = (
        Revision.objects.filter(approved_go_live_at__isnull=False)
        .order_by("approved_go_live_at")
        .values_list("approved_go_live_at", flat=True)
        .first()
    )
    due = [moment for moment in (expiry, go_live) if moment is not None]
    if not due:
        return None
    return max(0.0, (min(due) - timezone.now()).total_seconds())


def next_wait(interval: float, elapsed: float) -> float:
    """Return how long to sleep: the interval, or less when a story is due sooner.

    Waking at the due moment keeps an expired story's listings, feeds and cached pages
    (all withdrawn by the unpublish) from outliving its expiry by a whole interval.
    """
    try:
        due = seconds_until_next_due()
    except Exception:
        logger.exception("Could not read the next scheduled time")
        due = None
    wait = interval if due is None else min(interval, due + 0.5)
    return max(0.5, wait - elapsed)


def run_forever(interval: float, stop: threading.Event | None = None) -> None:
    """Run a pass every ``interval`` seconds (sooner when due) until ``stop`` is set."""
    stop = stop or threading.Event()
    logger.info("Scheduler running every %ss", interval)
    while not stop.is_set():
        started = time.monotonic()
        # A long-lived loop must drop connections the database has closed meanwhile.
        close_old_connections()
        try:
            run_once()
        except Exception:
            logger.exception("Scheduler pass failed")
        wait = next_wait(interval, time.monotonic() - started)
        close_old_connections()
        stop.wait(wait)
