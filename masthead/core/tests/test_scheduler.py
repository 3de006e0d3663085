"""Scheduled stories go live on time through the scheduler that `masthead serve` runs."""

import datetime as dt
from unittest import mock

import pytest
from django.core.cache import cache
from django.utils import timezone

from masthead.articles.factories import ArticlePageFactory
from masthead.core import scheduler

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
    cache.add(scheduler.LOCK_KEY, "1", timeout=60)
    try:
        assert scheduler.run_once() is False
    finally:
        cache.delete(scheduler.LOCK_KEY)


def test_a_failing_pass_is_logged_and_does_not_stop_the_loop(newsroom, monkeypatch, caplog):
    def boom(*args, **kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr(scheduler, "call_command", boom)
    assert scheduler.run_once() is False
    assert "Scheduled publishing pass failed" in caplog.text
    assert cache.get(scheduler.LOCK_KEY) is None
