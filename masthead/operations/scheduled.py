"""Scheduled publishing through the publishing gate.

Wagtail's ``publish_scheduled`` stops at the first story that fails; here each due
revision is published on its own, and one the gate refuses is held back (logged once,
as ``masthead.publish.held``) and tried again at later passes, so a fix to the story or
to the newsroom's dictionary lets it go out without anyone scheduling it again.

A held story that went through approval is not left looking approved: the first time its
version is held, the story's workflow is started again and its first task is rejected
with the gate's reasons as the comment, so it shows as "Changes requested", back with its
author, and its schedule is cancelled (see ``send_back_to_author``). The author gets
Wagtail's "changes requested" email with the reasons; the approvers get no email.
"""

import logging

from django.apps import apps
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.models import DraftStateMixin, Page, Revision, WorkflowMixin, WorkflowState

from masthead.compat.publishing import road
from masthead.compat.submission_notices import without_submission_notices

from .gate import PublishRefused, hold

logger = logging.getLogger("masthead.scheduler")


def unpublish_expired() -> int:
    """Unpublish live objects whose expiry has passed; return how many."""
    models = [Page] + [
        m for m in apps.get_models() if issubclass(m, DraftStateMixin) and not issubclass(m, Page)
    ]
    count = 0
    for model in models:
        for obj in list(model.objects.filter(live=True, expire_at__lt=timezone.now())):
            obj.unpublish(set_expired=True, log_action="wagtail.unpublish.scheduled")
            count += 1
    return count


def publish_due() -> tuple[int, int]:
    """Publish every revision whose time has come; return (published, held)."""
    published = held = 0
    due = Revision.objects.filter(approved_go_live_at__lt=timezone.now()).order_by(
        "approved_go_live_at"
    )
    for revision in list(due):
        try:
            with road("scheduler"):
                revision.publish(log_action="wagtail.publish.scheduled")
            published += 1
        except PublishRefused as refusal:
            if hold(refusal.page, revision, refusal):
                send_back_to_author(revision, refusal)
            held += 1
        except Exception:
            logger.exception("Scheduled revision %s could not be published", revision.pk)
    return published, held


def send_back_to_author(revision, refusal: PublishRefused) -> bool:
    """Put an approved story the scheduler held back into "Changes requested".

    Wagtail finished the workflow as approved when the approver scheduled the story, and
    a finished workflow cannot be reopened (``WorkflowState.resume`` takes only a state
    that needs changes; ``finish`` only one in progress). So the approved state is left as
    the record of that approval, and the story's workflow is started again on its latest
    version with its first task rejected, the gate's reasons as the comment: the story
    is visibly back with its author, who fixes it and resubmits for a fresh approval.
    The held version's schedule is cancelled too (logged by Wagtail as "Unschedule
    publish"): Wagtail locks a scheduled page against every edit (``ScheduledForPublishLock``),
    so the author could not fix it otherwise, and an approval the gate refused should not
    go out later without a new one. Wagtail mails a workflow's start to the approvers as a
    submission; nobody submitted anything here, so that start runs without those emails
    (``without_submission_notices``), and only the author is mailed, by the rejection.
    Returns whether the story was sent back.
    """
    page = revision.content_object
    if not isinstance(page, WorkflowMixin) or page.current_workflow_state is not None:
        return False  # not in a workflow, or already in review or back with its author
    approved = WorkflowState.objects.for_instance(page).order_by("-created_at").first()
    if approved is None or approved.status != WorkflowState.STATUS_APPROVED:
        return False
    finished = approved.current_task_state.finished_at if approved.current_task_state else None
    if finished is None or finished < revision.created_at or not approved.workflow.active:
        return False  # this version is not one that approval scheduled
    comment = _(
        "Not published at its scheduled time: %(reasons)s The schedule is cancelled; fix "
        "the story and submit it again for approval."
    ) % {"reasons": " ".join(refusal.reasons)}
    try:
        with transaction.atomic():
            # Nobody submitted anything: the approvers get no "submitted" email.
            with without_submission_notices():
                state = approved.workflow.start(page, user=None)
            # The author is told about the requested changes (Wagtail notifies requested_by).
            state.requested_by = approved.requested_by
            state.save(update_fields=["requested_by"])
            task_state = state.current_task_state
            if task_state is None or task_state.status != task_state.STATUS_IN_PROGRESS:
                raise RuntimeError("the workflow has no task to send the story back from")
            task_state.specific.reject(user=None, comment=comment)
            revision.approved_go_live_at = None
            revision.save(update_fields=["approved_go_live_at"])
    except Exception:
        logger.exception("Held story %s could not be sent back to its author", page.pk)
        return False
    logger.warning("Held story %s sent back to its author: %s", page.pk, comment)
    return True
