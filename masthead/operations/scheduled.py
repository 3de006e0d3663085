"""Scheduled publishing through the publishing gate.

Wagtail's ``publish_scheduled`` stops at the first story that fails; here each due
revision is published on its own, and one the gate refuses is held back (logged once,
as ``masthead.publish.held``) and tried again at later passes, so a fix to the story or
to the newsroom's dictionary lets it go out without anyone scheduling it again.
"""

import logging

from django.apps import apps
from django.utils import timezone
from wagtail.models import DraftStateMixin, Page, Revision

from masthead.compat.publishing import road

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
            hold(refusal.page, revision, refusal)
            held += 1
        except Exception:
            logger.exception("Scheduled revision %s could not be published", revision.pk)
    return published, held
