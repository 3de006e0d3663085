import datetime as dt
import re
from unittest import mock

import pytest
from django.contrib.auth.models import Group
from django.core.cache import cache
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone

from masthead.discovery import counter, popular
from masthead.discovery.models import ArticleView, DailySalt, ReaderSeen

READER = {"REMOTE_ADDR": "203.0.113.9", "HTTP_USER_AGENT": "Mozilla/5.0 (X11; Linux) Firefox/130"}


def beacon_url(story) -> str:
    return f"/discovery/seen/{counter.make_token(story.pk)}.gif"


def views_of(story) -> int:
    return sum(ArticleView.objects.filter(article=story).values_list("views", flat=True))


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()
    counter._salts.clear()  # the per-process salt would outlive the rolled-back row


def test_a_reader_counts_once_per_story_per_day(client, newsroom):
    story = newsroom.stories[0]
    url = beacon_url(story)
    first = client.get(url, **READER)
    client.get(url, **READER)
    assert first.status_code == 200
    assert first["Content-Type"] == "image/gif"
    assert "no-store" in first["Cache-Control"]
    assert not first.cookies
    assert views_of(story) == 1
    client.get(url, **{**READER, "REMOTE_ADDR": "203.0.113.10"})
    client.get(beacon_url(newsroom.stories[1]), **READER)
    assert views_of(story) == 2
    assert views_of(newsroom.stories[1]) == 1
    assert ArticleView.objects.filter(article=story).count() == 1  # one row per day


def test_bots_and_prefetches_do_not_count(client, newsroom):
    story = newsroom.stories[0]
    for headers in [
        {"HTTP_USER_AGENT": "Mozilla/5.0 (compatible; Googlebot/2.1)"},
        {"HTTP_USER_AGENT": "curl/8.5.0"},
        {"HTTP_USER_AGENT": "python-requests/2.32"},
        {"HTTP_USER_AGENT": ""},
        {"HTTP_SEC_PURPOSE": "prefetch;prerender"},
        {"HTTP_PURPOSE": "prefetch"},
    ]:
        response = client.get(beacon_url(story), **{**READER, **headers})
        assert response.status_code == 200
    assert views_of(story) == 0


def test_head_requests_and_staff_do_not_count(client, newsroom, django_user_model):
    story = newsroom.stories[0]
    assert client.head(beacon_url(story), **READER).status_code == 200
    editor = django_user_model.objects.create_user("ed", password="x", is_staff=False)
    editor.groups.add(Group.objects.get(name="Editors"))
    client.force_login(editor)
    client.get(beacon_url(story), **READER)
    assert views_of(story) == 0
    client.logout()
    client.get(beacon_url(story), **READER)
    assert views_of(story) == 1


def test_forged_and_expired_tokens_are_refused(client, newsroom):
    story = newsroom.stories[0]
    forged = counter.make_token(story.pk).rsplit(":", 1)[0] + ":AAAAAAAAAAAAAAAAAAAAAAAAAAA"
    assert client.get(f"/discovery/seen/{forged}.gif", **READER).status_code == 400
    assert client.get(f"/discovery/seen/{story.pk}.gif", **READER).status_code == 400
    old = timezone.now().timestamp() - 3 * 86400
    with mock.patch("django.core.signing.time.time", return_value=old):
        stale = counter.make_token(story.pk)
    assert client.get(f"/discovery/seen/{stale}.gif", **READER).status_code == 400
    assert client.post(beacon_url(story), **READER).status_code == 405
    assert views_of(story) == 0


def test_unpublished_and_private_stories_are_not_counted(client, newsroom):
    from wagtail.models import PageViewRestriction

    draft = newsroom.stories[0]
    draft.unpublish()
    private = newsroom.stories[1]
    PageViewRestriction.objects.create(page=private, restriction_type="password", password="x")
    client.get(beacon_url(draft), **READER)
    client.get(beacon_url(private), **READER)
    assert ArticleView.objects.count() == 0


def test_story_pages_carry_the_beacon_and_previews_do_not(client, newsroom, rf):
    from masthead.discovery.templatetags.discovery import discovery_beacon

    story = newsroom.stories[0]
    html = client.get(story.url).content.decode()
    assert "/discovery/seen/" in html
    # A page served again from a full-page cache carries the same pixel: still counts.
    pixel = re.search(r'src="(/discovery/seen/[^"]+\.gif)"', html).group(1)
    for address in ("198.51.100.20", "198.51.100.21"):
        client.get(pixel, **{**READER, "REMOTE_ADDR": address})
    assert views_of(story) == 2
    request = rf.get("/")
    request.is_preview = True
    assert discovery_beacon({"request": request}, story) == ""


def test_salt_lives_apart_from_counts_and_rotates_daily(newsroom):
    story = newsroom.stories[0]
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    DailySalt.objects.create(day=yesterday, salt="old")
    assert counter.record_view(story.pk, "198.51.100.1", "Mozilla/5.0")
    assert not counter.record_view(story.pk, "198.51.100.1", "Mozilla/5.0")
    assert list(DailySalt.objects.values_list("day", flat=True)) == [timezone.localdate()]
    salt = DailySalt.objects.get().salt
    field_names = {f.name for f in ArticleView._meta.get_fields()}
    assert not field_names & {"salt", "digest", "address", "user_agent"}
    digest = ReaderSeen.objects.get().digest
    assert "198.51.100.1" not in digest and salt not in digest


def test_most_read_ranks_by_views_then_recency(newsroom):
    today = timezone.localdate()
    older, newer, third = newsroom.stories[3], newsroom.stories[1], newsroom.stories[2]
    ArticleView.objects.create(article=older, day=today, views=5)
    ArticleView.objects.create(article=newer, day=today, views=5)
    ArticleView.objects.create(article=third, day=today - dt.timedelta(days=10), views=50)
    week = ArticleView.objects.most_read(days=7)
    assert [a for a, _ in week] == [newer.pk, older.pk]
    month = ArticleView.objects.most_read(days=30)
    assert [a for a, _ in month][0] == third.pk


def test_last_day_counts_part_of_yesterday(newsroom):
    story = newsroom.stories[0]
    today = timezone.localdate()
    ArticleView.objects.create(article=story, day=today - dt.timedelta(days=1), views=100)
    six_am = timezone.make_aware(dt.datetime.combine(today, dt.time(6, 0)))
    [(_, views)] = ArticleView.objects.most_read(days=1, now=six_am)
    assert views == pytest.approx(75)  # 18 of yesterday's 24 hours


def test_popular_block_follows_reading_within_the_cache_lifetime(newsroom):
    from masthead.discovery.services import blocks_for

    assert popular.DEFAULT_RANKING_TTL <= 60
    target = newsroom.stories[7]  # the oldest story
    before = blocks_for(None).popular
    assert target not in before
    for n in range(3):
        counter.record_view(target.pk, f"192.0.2.{n}", "Mozilla/5.0")
    popular.refresh()  # what the scheduler's pass does
    assert blocks_for(None).popular[0] == target


@override_settings(DISCOVERY_RANKING_TTL=30)
def test_ranking_is_cached(newsroom, django_assert_num_queries):
    popular.ranking(7)
    with django_assert_num_queries(0):
        popular.ranking(7)
    with pytest.raises(ValueError):
        popular.ranking(3)


def test_prune_removes_old_digests_and_counts(newsroom):
    story = newsroom.stories[0]
    today = timezone.localdate()
    ReaderSeen.objects.create(day=today - dt.timedelta(days=1), digest="a" * 64)
    ReaderSeen.objects.create(day=today, digest="b" * 64)
    ArticleView.objects.create(article=story, day=today - dt.timedelta(days=500), views=3)
    ArticleView.objects.create(article=story, day=today, views=3)
    call_command("prune_views", stdout=mock.Mock())
    assert list(ReaderSeen.objects.values_list("digest", flat=True)) == ["b" * 64]
    assert list(ArticleView.objects.values_list("day", flat=True)) == [today]
