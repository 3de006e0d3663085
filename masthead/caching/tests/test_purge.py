"""A proxy in front learns exactly which cached pages a change affects."""

import logging
import os
import subprocess
import sys
from unittest import mock

import pytest
from django.core.cache import cache

from masthead.articles.models import Correction
from masthead.caching import tags
from masthead.caching.middleware import cache_key

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def page_cache_on(settings):
    settings.MASTHEAD_PAGE_CACHE = True


def test_a_shared_copy_names_the_tags_of_everything_it_shows(client, newsroom):
    story = newsroom.stories[0]
    response = client.get(story.url)
    assert response["X-Cache-Tags"].startswith(",")
    assert f",page:{story.pk}," in response["X-Cache-Tags"]
    assert ",site," in response["X-Cache-Tags"]
    home = client.get("/")
    # The home page lists the story, so a ban of the story's tag reaches it.
    assert f",page:{story.pk}," in home["X-Cache-Tags"]
    assert client.get("/")["X-Cache-Tags"] == home["X-Cache-Tags"]  # and on a hit


def test_a_correction_bans_the_story_and_every_listing_at_every_proxy(
    settings, newsroom, django_capture_on_commit_callbacks
):
    settings.MASTHEAD_PURGE_URLS = ["http://proxy-a.internal:6081", "http://proxy-b.internal"]
    story = newsroom.stories[0]
    Correction.objects.create(page=story, text="An earlier version gave the wrong date.")
    with (
        mock.patch("masthead.caching.purge._send") as send,
        django_capture_on_commit_callbacks(execute=True),
    ):
        story.save_revision().publish()
    urls = [call.args[0] for call in send.call_args_list]
    # Every proxy is told; the publish bans again when its transaction commits
    # (masthead.core.changes: a reader rendering between the two gets no stale copy).
    assert sorted(set(urls)) == ["http://proxy-a.internal:6081", "http://proxy-b.internal"]
    assert len(urls) in (2, 4)
    names = set(send.call_args_list[0].args[1])
    expected = {
        f"page:{story.pk}",
        "home",
        "feeds",
        "sitemaps",
        f"section:{newsroom.news.pk}",
        f"author:{newsroom.reporter.pk}",
    }
    assert expected <= names


def test_nothing_is_sent_without_a_proxy(settings, newsroom, django_capture_on_commit_callbacks):
    settings.MASTHEAD_PURGE_URLS = []
    with (
        mock.patch("masthead.caching.purge._send") as send,
        django_capture_on_commit_callbacks(execute=True),
    ):
        newsroom.stories[1].save_revision().publish()
    send.assert_not_called()


def test_a_proxy_that_is_down_never_stops_publishing(
    settings, newsroom, caplog, django_capture_on_commit_callbacks
):
    settings.MASTHEAD_PURGE_URLS = ["http://127.0.0.1:9"]  # nothing listens on the discard port
    story = newsroom.stories[2]
    story.title = "A corrected headline about the border"
    with (
        caplog.at_level(logging.WARNING, logger="masthead.caching"),
        django_capture_on_commit_callbacks(execute=True),
    ):
        story.save_revision().publish()
    story.refresh_from_db()
    assert story.title == "A corrected headline about the border"
    assert "Could not ban" in caplog.text


def test_a_stale_copy_is_kept_by_proxies_for_a_moment_only(client, newsroom):
    story = newsroom.stories[0]
    client.get(story.url)
    # Another request holds the re-render lock, so this reader gets the previous copy.
    request = client.get(story.url).wsgi_request
    cache.add(cache_key(request) + ":lock", 1)
    tags.invalidate([tags.page(story.pk)])
    stale = client.get(story.url)
    assert stale["X-Cache"] == "STALE"
    assert "s-maxage=1" in stale["Cache-Control"]


def test_a_purge_url_that_is_not_http_is_refused_with_its_name(tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    env.update(MASTHEAD_DATA_DIR=str(tmp_path), MASTHEAD_PURGE_URL="varnish.internal:6081")
    result = subprocess.run(
        [sys.executable, "-m", "masthead.cli", "manage", "check"],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )
    assert result.returncode != 0
    assert "MASTHEAD_PURGE_URL='varnish.internal:6081' is not an HTTP address" in result.stderr
