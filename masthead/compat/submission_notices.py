"""Start a workflow without Wagtail's "submitted for moderation" emails.

Wagtail emails a task's approvers (``task_submitted``) and superusers
(``workflow_submitted``) whenever ``Workflow.start`` runs, since in Wagtail only a
submission starts one. The scheduler also starts one, to send back a story approved for
a later time that the publishing gate refuses at that time (operations.scheduled): nobody
submitted anything then, and the approvers' "submitted" email asked them to review a
story that was already back with its author.

``without_submission_notices()`` silences those two emails for the code inside it and
nothing else: Wagtail's two notifiers are replaced, under Wagtail's own ``dispatch_uid``,
by subclasses whose ``can_handle`` (Wagtail's hook for "should this notifier send")
declines while the block runs. The flag is a ContextVar, so a real submission in another
thread or request at the same moment is mailed as before. The rest of ``Workflow.start``
is Wagtail's (the states, the task's start, the "workflow started" log entry), and any
other receiver of the two signals still hears them.

Upstream behaviour relied on (tests/test_upstream.py): Wagtail connects the two
notifiers with the dispatch_uids and senders below. ``install`` works in either app
order (``wagtail.admin`` comes after Masthead's apps in INSTALLED_APPS): a receiver
connected first under a dispatch_uid keeps it, so Wagtail's later ``connect`` is a no-op,
and when Wagtail's is already there it is disconnected first.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from wagtail.admin.mail import (
    GroupApprovalTaskStateSubmissionEmailNotifier,
    WorkflowStateSubmissionEmailNotifier,
)
from wagtail.models import TaskState, WorkflowState
from wagtail.signals import task_submitted, workflow_submitted

_quiet: ContextVar[bool] = ContextVar("masthead_no_submission_notices", default=False)


@contextmanager
def without_submission_notices() -> Iterator[None]:
    """Send no "submitted" emails for workflows and tasks started inside the block."""
    token = _quiet.set(True)
    try:
        yield
    finally:
        _quiet.reset(token)


class _UnlessQuiet:
    def can_handle(self, instance, **kwargs):
        return not _quiet.get() and super().can_handle(instance, **kwargs)


class TaskSubmissionNotifier(_UnlessQuiet, GroupApprovalTaskStateSubmissionEmailNotifier):
    """Wagtail's email to a task's approvers on a submission, except when silenced."""


class WorkflowSubmissionNotifier(_UnlessQuiet, WorkflowStateSubmissionEmailNotifier):
    """Wagtail's email to superusers on a submission, except when silenced."""


# (signal, sender, Wagtail's dispatch_uid, replacement) as in wagtail.admin.signal_handlers.
RECEIVERS = (
    (
        task_submitted,
        TaskState,
        "group_approval_task_submitted_email_notification",
        TaskSubmissionNotifier(),
    ),
    (
        workflow_submitted,
        WorkflowState,
        "workflow_state_submitted_email_notification",
        WorkflowSubmissionNotifier(),
    ),
)


def install() -> None:
    """Put the silenceable notifiers in the place of Wagtail's two "submitted" ones."""
    for signal, sender, dispatch_uid, notifier in RECEIVERS:
        signal.disconnect(sender=sender, dispatch_uid=dispatch_uid)
        signal.connect(notifier, sender=sender, dispatch_uid=dispatch_uid, weak=False)
