"""Scheduled stories go live on time through the scheduler that `masthead serve` runs;
the daily upkeep runs once a day; the Popular ranking is refreshed every pass."""

import datetime as dt
from unittest import mock

import pytest
from django.utils import timezone

from masthead.articles.factories import ArticlePageFactory
from masthead.core import state
from masthead.operations import scheduler, upkeep

pytestmark = pytest.mark.django_db


def _schedule(newsroom, when):
    story = ArticlePageFactory(
        parent=newsroom.news,
        live=False,
        slug="embargoed",
        title="Embargoed budget story",
        topics=[newsroom.marevia],
    )
    story.go_live_at = when
    story.save_revision().publish()
    story.refresh_from_db()
    return story


def test_scheduled_story_is_not_live_before_its_time(client, newsroom):
    story = _schedule(newsroom, timezone.now() + dt.timedelta(hours=1))
    assert not story.live
    assert scheduler.run_once()
    story.refresh_from_db()
    assert not story.live
    assert "Embargoed budget story" not in client.get("/").content.decode()


def test_scheduler_publishes_a_story_whose_time_has_come(client, newsroom):
    go_live = timezone.now() + dt.timedelta(minutes=10)
    story = _schedule(newsroom, go_live)
    assert not story.live
    # Let the clock reach the go-live time, as it would on a running server.
    later = go_live + dt.timedelta(seconds=5)
    with mock.patch("django.utils.timezone.now", return_value=later):
        assert scheduler.run_once()
    story.refresh_from_db()
    assert story.live
    assert "Embargoed budget story" in client.get("/").content.decode()
    assert "Embargoed budget story" in client.get("/topics/marevia/").content.decode()


def test_only_one_scheduler_runs_a_pass_at_a_time(newsroom):
    state.store().add(scheduler.LOCK_KEY, "1", timeout=60)
    try:
        assert scheduler.run_once() is False
    finally:
        state.store().delete(scheduler.LOCK_KEY)


def test_a_failing_command_is_logged_and_does_not_stop_the_others(newsroom, monkeypatch, caplog):
    ran = []

    def call(name, **kwargs):
        ran.append(name)
        if name == "publish_scheduled":
            raise RuntimeError("database went away")

    monkeypatch.setattr(scheduler, "call_command", call)
    monkeypatch.setattr(upkeep, "call_command", call)
    assert scheduler.run_once() is True
    assert "Scheduler command publish_scheduled failed" in caplog.text
    assert ran[:2] == ["publish_scheduled", "refresh_rankings"]
    assert state.store().get(scheduler.LOCK_KEY) is None


def test_daily_upkeep_runs_once_a_day_whoever_asks(newsroom, monkeypatch):
    ran = []
    monkeypatch.setattr(upkeep, "call_command", lambda name, **kw: ran.append(name))
    day = dt.date(2026, 3, 1)
    assert upkeep.run_daily(day) is True
    assert upkeep.run_daily(day) is False  # another worker, same day
    assert upkeep.run_daily(day + dt.timedelta(days=1)) is True
    assert ran == ["prune_views", "prune_views"]


def test_a_pass_refreshes_the_popular_ranking(client, newsroom):
    from masthead.discovery import counter, popular

    target = newsroom.stories[7]
    popular.ranking(7)  # kept by this worker
    for n in range(3):
        counter.record_view(target.pk, f"192.0.2.{n}", "Mozilla/5.0")
    assert scheduler.run_once()
    assert popular.ranking(7)[0] == target.pk
