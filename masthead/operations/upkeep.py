"""Daily upkeep, run by the scheduler once a day whichever process gets there first:
readers' digests, old salts and old daily counts pruned (``prune_views``), and expired
keys removed from the embedded shared store."""

import datetime as dt
import logging

from django.core.management import call_command
from django.utils import timezone

from masthead.core import state

logger = logging.getLogger("masthead.scheduler")
DAILY_COMMANDS = ("prune_views",)


def run_daily(today: dt.date | None = None) -> bool:
    """Run the upkeep if nobody has today; return whether this call ran it."""
    today = today or timezone.localdate()
    # add() in the shared store: one process a day, across workers and servers.
    if not state.store().add(f"mh:lock:upkeep:{today.isoformat()}", 1, timeout=3 * 86400):
        return False
    for command in DAILY_COMMANDS:
        try:
            call_command(command, verbosity=0)
        except Exception:
            logger.exception("Daily upkeep command %s failed", command)
    store = state.store()
    if hasattr(store, "expire"):  # diskcache: drop expired locks, throttles, copies
        try:
            removed = store.expire()
            logger.info("Removed %s expired keys from the shared store", removed)
        except Exception:
            logger.exception("Could not remove expired keys from the shared store")
    return True
