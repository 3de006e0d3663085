"""The publishing gate: one check on every road to live.

Apps register functions with the Wagtail hook ``masthead_publish_gate``; each is called
with ``page`` (the version about to go live), ``revision``, ``user`` (or None) and
``road`` ("publish", "schedule", "scheduler", "import") and returns None to let it
through or a sentence saying why not. The check sits inside Wagtail's publish action
(masthead.compat.publishing), which the admin's Publish button, scheduling, workflow
approval, the bulk publish action, ``Revision.publish()`` and the scheduler all go
through, so none of them can put a refused story live.

An import of posts already published elsewhere passes under an explicit override
(``masthead.compat.publishing.override``), which is logged once per run.
"""

import logging
from contextvars import ContextVar

from masthead.compat.publishing import PublishRefused, current_override

logger = logging.getLogger("masthead.publishing")

HOOK = "masthead_publish_gate"
HELD_ACTION = "masthead.publish.held"
OVERRIDE_ACTION = "masthead.publish.gate_override"


__all__ = ["PublishRefused", "check", "hold", "reasons", "tell_editor"]

# Messages for the person whose request this is (PublishRefusedMiddleware shows them).
_notices: ContextVar[list[str] | None] = ContextVar("masthead_publish_notices", default=None)


def reasons(page, *, revision=None, user=None, road: str = "publish") -> list[str]:
    """Return why the gates refuse ``page`` on ``road`` (empty: it may go live)."""
    from wagtail import hooks

    found = []
    for gate in hooks.get_hooks(HOOK):
        try:
            verdict = gate(page=page, revision=revision, user=user, road=road)
        except Exception:
            # A gate that cannot run at all must not hold every story back.
            logger.exception("Publishing gate %r failed for page %s", gate, page.pk)
            continue
        if verdict:
            found.append(str(verdict))
    return found


def check(page, *, revision=None, user=None, road: str = "publish") -> None:
    """Raise :class:`PublishRefused` when a gate refuses ``page`` on ``road``."""
    state = current_override()
    if state is not None:
        if not state["logged_on_page"]:
            # The run was logged when it began; its first story's history says so too.
            state["logged_on_page"] = True
            _log(page, OVERRIDE_ACTION, user, {"road": state["road"], "reason": state["reason"]})
        return
    found = reasons(page, revision=revision, user=user, road=road)
    if found:
        raise PublishRefused(page, found, road)


def tell_editor(message: str) -> None:
    """Show ``message`` to the person whose admin request led here (an error message).

    For code without the request, such as a workflow task that refused an approval;
    outside a request (a command, a test calling the model) it is only logged.
    """
    notices = _notices.get()
    if notices is None:
        logger.info("Not shown to anyone (no request): %s", message)
        return
    notices.append(message)


def collect_notices():
    """Start collecting ``tell_editor`` messages; return (list, token for ``reset``)."""
    notices: list[str] = []
    return notices, _notices.set(notices)


def stop_collecting(token) -> None:
    _notices.reset(token)


def hold(page, revision, refusal: PublishRefused) -> bool:
    """Record that the scheduler held ``revision`` back; return whether this is news.

    Logged once per revision, not at every pass while it waits.
    """
    from wagtail.models import PageLogEntry

    if PageLogEntry.objects.filter(
        page_id=page.pk, revision_id=revision.pk, action=HELD_ACTION
    ).exists():
        return False
    _log(page, HELD_ACTION, None, {"reasons": refusal.reasons}, revision=revision)
    logger.warning("Scheduled page %s held back: %s", page.pk, " ".join(refusal.reasons))
    return True


def _log(page, action: str, user, data: dict, revision=None) -> None:
    from wagtail.log_actions import log

    try:
        log(instance=page, action=action, user=user, data=data, revision=revision)
    except Exception:
        logger.exception("Could not log %s for page %s", action, page.pk)


def register_actions(actions) -> None:
    """Name the gate's log actions in the page history (``register_log_actions``)."""
    from django.utils.translation import gettext_lazy

    actions.register_action(
        HELD_ACTION,
        gettext_lazy("Held back from scheduled publishing"),
        gettext_lazy("Scheduled publishing held back by the publishing checks"),
    )
    actions.register_action(
        OVERRIDE_ACTION,
        gettext_lazy("Publishing checks overridden"),
        gettext_lazy("Published past the publishing checks under an explicit override"),
    )
