"""The automatic digest: the day's stories at the list's time; nothing on a quiet day."""

import datetime as dt

import pytest
from django.test import TestCase
from django.utils import timezone

from masthead.newsletters.digests import send_due_digests
from masthead.newsletters.factories import NewsletterFactory, SubscriptionFactory
from masthead.newsletters.models import Send

pytestmark = pytest.mark.django_db


def _at(hour: int, minute: int = 0, days: int = 0) -> dt.datetime:
    day = timezone.localtime(timezone.now()).replace(hour=0, minute=0, second=0, microsecond=0)
    return day + dt.timedelta(days=days, hours=hour, minutes=minute)


@pytest.fixture
def digest_list(newsroom):
    newsletter = NewsletterFactory(
        digest_enabled=True, digest_time=dt.time(7, 0), digest_last_sent_at=_at(7, days=-1)
    )
    SubscriptionFactory(newsletter=newsletter)
    return newsletter


def _quiet_before_today(newsroom):
    for story in newsroom.stories:
        type(story).objects.filter(pk=story.pk).update(first_published_at=_at(5, days=-2))


def _run(now):
    with TestCase.captureOnCommitCallbacks(execute=True):
        return send_due_digests(now)


def test_digest_waits_for_its_time_then_sends_the_day_s_stories_once(newsroom, digest_list):
    _quiet_before_today(newsroom)
    new = newsroom.publish(title="Overnight ferry strike", days_ago=0)
    type(new).objects.filter(pk=new.pk).update(first_published_at=_at(5))
    assert _run(_at(6, 59)) == []
    (issue,) = _run(_at(7, 1))
    issue.refresh_from_db()
    assert issue.live and Send.objects.filter(issue=issue).exists()
    ids = [p.pk for p in issue.body[0].value["stories"]]
    assert ids == [new.pk], "only what was published since the last digest"
    assert _run(_at(7, 30)) == [], "not twice in one day"


def test_quiet_day_sends_nothing(newsroom, digest_list):
    _quiet_before_today(newsroom)
    assert _run(_at(7, 5)) == []
    assert not Send.objects.exists()
    digest_list.refresh_from_db()
    assert digest_list.digest_last_sent_at == _at(7, 5), "the day is done"


def test_draft_and_private_stories_stay_out_of_the_digest(newsroom, digest_list):
    draft = newsroom.publish(title="Draft story", days_ago=0)
    type(draft).objects.filter(pk=draft.pk).update(live=False, first_published_at=_at(5))
    _quiet_before_today(newsroom)
    assert _run(_at(7, 5)) == []
