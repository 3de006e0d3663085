"""The automatic digest: each day at its time, the stories published since the last one.

The background worker calls ``send_due_digests`` every minute. A day with no new story
sends nothing. Two workers cannot send one digest twice: the newsletter's
``digest_last_sent_at`` moves with a conditional UPDATE, and only the worker whose update
landed builds the issue.
"""

import datetime as dt
import logging

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from masthead.articles.models import ArticlePage

from .models import Issue, Newsletter

logger = logging.getLogger("masthead.newsletters")
MAX_STORIES = 20


def _due_at(newsletter: Newsletter, now: dt.datetime) -> dt.datetime:
    local = timezone.localtime(now)
    return local.replace(
        hour=newsletter.digest_time.hour,
        minute=newsletter.digest_time.minute,
        second=0,
        microsecond=0,
    )


def stories_since(newsletter: Newsletter, since: dt.datetime) -> list[int]:
    query = ArticlePage.objects.cards().filter(first_published_at__gt=since)
    if newsletter.digest_section_id:
        query = query.descendant_of(newsletter.digest_section)
    return list(query.values_list("pk", flat=True)[:MAX_STORIES])


def send_due_digests(now: dt.datetime | None = None) -> list[Issue]:
    """Publish (and so send) the digest of every list whose time has come today."""
    now = now or timezone.now()
    sent = []
    for newsletter in Newsletter.objects.filter(digest_enabled=True).select_related(
        "digest_section"
    ):
        due = _due_at(newsletter, now)
        last = newsletter.digest_last_sent_at
        if now < due or (last is not None and last >= due):
            continue
        since = last or due - dt.timedelta(days=1)
        claimed = Newsletter.objects.filter(pk=newsletter.pk, digest_last_sent_at=last).update(
            digest_last_sent_at=now
        )
        if not claimed:
            continue  # another worker took this one
        ids = stories_since(newsletter, since)
        if not ids:
            logger.info("Digest of %s skipped: no new story since %s", newsletter, since)
            continue
        issue = Issue.objects.create(
            newsletter=newsletter,
            subject=_("%(name)s, %(day)s")
            % {"name": newsletter.name, "day": date_format(timezone.localtime(now), "j F Y")},
            body=[{"type": "stories", "value": {"heading": "", "stories": ids}}],
            live=False,
        )
        issue.save_revision().publish()
        sent.append(issue)
    return sent
