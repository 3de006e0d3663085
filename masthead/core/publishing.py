"""Make publishing and unpublishing all-or-nothing.

Wagtail's publish action saves the page, sends ``page_published`` (related stories,
search index, cache purge, feeds) and writes the audit log with no transaction around
them, so an exception in any receiver used to leave a story live with half of its
index rows written. Wrapping the action itself covers every caller at once: the admin,
the scheduler (``publish_scheduled``), the importer and ``Revision.publish()``.

``MASTHEAD_CRASH_AT`` exists for the crash tests only: naming a point here makes the
process sleep there, so a test can kill it mid-publish with SIGKILL.
"""

import functools
import logging
import os
import time

from django.db import transaction

logger = logging.getLogger("masthead.publishing")
CRASH_ENV = "MASTHEAD_CRASH_AT"


_passes: dict[str, int] = {}


def pause_for_crash_test(point: str) -> None:
    """Sleep at ``point`` when ``MASTHEAD_CRASH_AT`` names it, announcing it on stderr.

    ``MASTHEAD_CRASH_SKIP=N`` lets the first N passes through the point go on.
    """
    if os.environ.get(CRASH_ENV) != point:
        return
    _passes[point] = _passes.get(point, 0) + 1
    if _passes[point] <= int(os.environ.get("MASTHEAD_CRASH_SKIP", "0")):
        return
    # The test waits for this line, then kills the process while it sleeps.
    os.write(2, f"masthead-crash-point {point}\n".encode())
    time.sleep(float(os.environ.get("MASTHEAD_CRASH_SLEEP", "60")))


def _atomic(method, point: str):
    if getattr(method, "_masthead_atomic", False):
        return method

    @functools.wraps(method)
    def wrapper(*args, **kwargs):
        with transaction.atomic():
            result = method(*args, **kwargs)
            # Every receiver has run and written its rows; nothing is committed yet.
            pause_for_crash_test(point)
            return result

    wrapper._masthead_atomic = True
    return wrapper


def install() -> None:
    """Wrap Wagtail's publish and unpublish actions in a transaction (idempotent)."""
    from wagtail.actions.publish_revision import PublishRevisionAction
    from wagtail.actions.unpublish import UnpublishAction

    PublishRevisionAction.execute = _atomic(PublishRevisionAction.execute, "publish-commit")
    UnpublishAction.execute = _atomic(UnpublishAction.execute, "unpublish-commit")
