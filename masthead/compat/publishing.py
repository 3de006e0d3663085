"""Make publishing all-or-nothing, and put the publishing gate on every road to live.

Wagtail's publish action saves the page, sends ``page_published`` (related stories,
search index, cache purge, feeds) and writes the audit log with no transaction around
them, so an exception in any receiver used to leave a story live with half of its
index rows written. Wrapping the action itself covers every caller at once: the admin
(Publish, scheduling, workflow approval, bulk actions), the scheduler, the importer and
``Revision.publish()``. The same wrapper consults the publishing gate
(masthead.operations.gate) before anything is written.

Upstream behaviour relied on (tests/test_upstream.py): every publish of a page goes
through ``PublishRevisionAction.execute`` (``PublishPageRevisionAction`` does not
override it), and the action's ``object`` is the version about to go live, with its
``go_live_at``.

``MASTHEAD_CRASH_AT`` exists for the crash tests only: naming a point here makes the
process sleep there, so a test can kill it mid-publish with SIGKILL.
"""

import functools
import logging
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

logger = logging.getLogger("masthead.publishing")
CRASH_ENV = "MASTHEAD_CRASH_AT"

_passes: dict[str, int] = {}
_road: ContextVar[str | None] = ContextVar("masthead_publish_road", default=None)
_override: ContextVar[dict | None] = ContextVar("masthead_gate_override", default=None)


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


class PublishRefused(Exception):
    """The publishing gate refused to put ``page`` live; ``reasons`` are for the editor."""

    def __init__(self, page, reasons: list[str], road: str):
        self.page = page
        self.reasons = reasons
        self.road = road
        super().__init__(" ".join(reasons))

    @property
    def message(self) -> str:
        return _("Not published: %(reasons)s") % {"reasons": " ".join(self.reasons)}


@contextmanager
def road(name: str) -> Iterator[None]:
    """Name the road of every publish inside (e.g. "scheduler", "import") for the gate."""
    token = _road.set(name)
    try:
        yield
    finally:
        _road.reset(token)


@contextmanager
def override(road_name: str, reason: str) -> Iterator[None]:
    """Let every publish inside pass the publishing gate, logged once when it begins.

    For runs that put live copy already published elsewhere (an import of posts marked
    ``publish``): the override is explicit, named and logged, never silent.
    """
    if not reason.strip():
        raise ValueError("A publishing gate override needs a reason.")
    logger.warning("Publishing gate overridden for this %s run: %s", road_name, reason)
    token = _override.set({"road": road_name, "reason": reason, "logged_on_page": False})
    road_token = _road.set(road_name)
    try:
        yield
    finally:
        _road.reset(road_token)
        _override.reset(token)


def current_override() -> dict | None:
    """Return the override in force (road, reason), or None."""
    return _override.get()


def _road_of(action) -> str:
    named = _road.get()
    if named:
        return named
    go_live_at = getattr(action.object, "go_live_at", None)
    if go_live_at and go_live_at > timezone.now():
        return "schedule"
    return "publish"


def _atomic(method, point: str, *, gated: bool = False):
    if getattr(method, "_masthead_atomic", False):
        return method

    @functools.wraps(method)
    def wrapper(self, *args, **kwargs):
        if gated:
            from wagtail.models import Page

            from masthead.operations import gate

            if isinstance(self.object, Page):
                gate.check(self.object, revision=self.revision, user=self.user, road=_road_of(self))
        with transaction.atomic():
            result = method(self, *args, **kwargs)
            # Every receiver has run and written its rows; nothing is committed yet.
            pause_for_crash_test(point)
            return result

    wrapper._masthead_atomic = True
    return wrapper


def install() -> None:
    """Wrap Wagtail's publish and unpublish actions (idempotent)."""
    from wagtail.actions.publish_revision import PublishRevisionAction
    from wagtail.actions.unpublish import UnpublishAction

    PublishRevisionAction.execute = _atomic(
        PublishRevisionAction.execute, "publish-commit", gated=True
    )
    UnpublishAction.execute = _atomic(UnpublishAction.execute, "unpublish-commit")
