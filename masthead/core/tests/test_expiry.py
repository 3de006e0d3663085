"""A story past its expiry time is served to nobody, before the scheduler's pass (issue 22, 6)."""

import datetime as dt
from unittest import mock

import pytest
from django.core.cache import cache
from django.test import Client
from django.utils import timezone
from wagtail.models import Page

from masthead.caching.middleware import cache_key
from masthead.operations import scheduler

pytestmark = pytest.mark.django_db


def _expire(page, when) -> None:
    Page.objects.filter(pk=page.pk).update(expire_at=when)


def test_an_expired_story_is_a_404_before_the_scheduler_runs(newsroom, client):
    story = newsroom.stories[0]
    _expire(story, timezone.now() - dt.timedelta(seconds=1))
    assert Page.objects.get(pk=story.pk).live  # the scheduler has not unpublished it
    response = client.get(story.url)
    assert response.status_code == 404
    assert story.title not in response.content.decode()


def test_a_story_expiring_later_is_served(newsroom, client):
    story = newsroom.stories[1]
    _expire(story, timezone.now() + dt.timedelta(hours=1))
    assert client.get(story.url).status_code == 200


def test_no_cached_copy_outlives_the_expiry(newsroom, settings):
    settings.MASTHEAD_PAGE_CACHE = True
    story = newsroom.stories[2]
    expiry = timezone.now() + dt.timedelta(seconds=20)
    _expire(story, expiry)
    client = Client()
    response = client.get(story.url)
    assert response["X-Cache"] == "MISS"
    request = client.get(story.url).wsgi_request
    entry = cache.get(cache_key(request))
    assert entry is not None
    assert entry["fresh_until"] <= expiry.timestamp()
    max_age = int(response["Cache-Control"].split("s-maxage=")[1].split(",")[0])
    assert max_age <= 20 and "stale-while-revalidate=0" in response["Cache-Control"]
    # Past the expiry, the copy is not served: the page is rendered again and refused.
    later = expiry + dt.timedelta(seconds=1)
    with (
        mock.patch("masthead.caching.middleware.time.time", return_value=later.timestamp()),
        mock.patch("django.utils.timezone.now", return_value=later),
    ):
        assert client.get(story.url).status_code == 404


def test_the_scheduler_wakes_when_a_story_expires(newsroom):
    assert scheduler.next_wait(30, 0) == 30
    _expire(newsroom.stories[3], timezone.now() + dt.timedelta(seconds=5))
    assert 0.5 <= scheduler.next_wait(30, 0) <= 6
    assert scheduler.next_wait(2, 0) == 2
    # Due already: the next pass comes at once (after the half-second floor).
    _expire(newsroom.stories[3], timezone.now() - dt.timedelta(seconds=5))
    assert scheduler.next_wait(30, 0) == 0.5


def test_the_scheduler_pass_removes_an_expired_story_from_listings(newsroom, client):
    story = newsroom.stories[0]
    _expire(story, timezone.now() - dt.timedelta(seconds=1))
    assert scheduler.run_once()
    assert not Page.objects.get(pk=story.pk).live
    assert story.title not in client.get("/").content.decode()
