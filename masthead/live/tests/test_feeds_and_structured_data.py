"""Atom and JSON Feed of entries, and the LiveBlogPosting JSON-LD of a live page."""

import datetime as dt

import pytest
from django.utils import timezone

from masthead.live.factories import LiveEntryFactory
from masthead.syndication.tests.validators import head_tags, json_ld, parse_feed, parse_json_feed

pytestmark = pytest.mark.django_db

# Google's required and recommended properties of a LiveBlogPosting and of each update.
LIVE_BLOG_REQUIRED = {
    "headline",
    "description",
    "datePublished",
    "dateModified",
    "author",
    "publisher",
    "mainEntityOfPage",
    "coverageStartTime",
    "liveBlogUpdate",
}
UPDATE_REQUIRED = {"@type", "headline", "datePublished", "articleBody", "url"}


@pytest.fixture
def with_scheduled(coverage):
    LiveEntryFactory(
        page=coverage.page,
        headline="zzscheduled entry",
        published_at=timezone.now() + dt.timedelta(hours=1),
    )
    return coverage


def test_atom_feed_lists_visible_entries_with_permalinks(client, with_scheduled):
    coverage = with_scheduled
    response = client.get(f"/feeds/live/{coverage.page.pk}/atom/")
    assert response.status_code == 200
    assert b"zzscheduled" not in response.content
    feed = parse_feed(response.content)
    links = [entry.link for entry in feed.entries]
    base = f"http://testserver{coverage.page.url}"
    assert links == [
        f"{base}#{coverage.second.anchor}",
        f"{base}#{coverage.first.anchor}",
        f"{base}#{coverage.pinned.anchor}",
    ]
    assert feed.entries[1].title == "Polls open"
    assert feed.entries[1].author == "Mira Castellan"
    assert "district" in feed.entries[0].content[0].value


def test_json_feed_is_valid_and_omits_scheduled_entries(client, with_scheduled):
    coverage = with_scheduled
    response = client.get(f"/feeds/live/{coverage.page.pk}/json/")
    assert b"zzscheduled" not in response.content
    data = parse_json_feed(response.content)
    assert [item["id"].rsplit("#", 1)[1] for item in data["items"]] == [
        coverage.second.anchor,
        coverage.first.anchor,
        coverage.pinned.anchor,
    ]
    assert all(item["content_html"] for item in data["items"])


def test_entry_feeds_of_unknown_or_ordinary_pages_are_404(client, coverage):
    assert client.get("/feeds/live/999999/atom/").status_code == 404
    assert client.get(f"/feeds/live/{coverage.newsroom.stories[0].pk}/json/").status_code == 404
    assert client.get(f"/feeds/live/{coverage.page.pk}/rss/").status_code == 404


def test_live_page_carries_live_blog_posting(client, with_scheduled):
    coverage = with_scheduled
    coverage.second.correction = "The turnout figure was for the morning only."
    coverage.second.save()
    content = client.get(coverage.page.url).content
    objects = {obj["@type"]: obj for obj in json_ld(content)}
    assert "NewsArticle" not in objects
    posting = objects["LiveBlogPosting"]
    assert set(posting) >= LIVE_BLOG_REQUIRED
    start = dt.datetime.fromisoformat(posting["coverageStartTime"])
    assert start == coverage.page.coverage_start
    assert "coverageEndTime" not in posting
    updates = posting["liveBlogUpdate"]
    assert [u["url"].rsplit("#", 1)[1] for u in updates] == [
        coverage.second.anchor,
        coverage.first.anchor,
        coverage.pinned.anchor,
    ]
    for update in updates:
        assert set(update) >= UPDATE_REQUIRED and update["@type"] == "BlogPosting"
        assert update["articleBody"] and "<" not in update["articleBody"]
        assert dt.datetime.fromisoformat(update["datePublished"]) >= start
    assert updates[0]["correction"]["text"] == "The turnout figure was for the morning only."
    assert dt.datetime.fromisoformat(posting["dateModified"]) == coverage.second.published_at
    assert b"zzscheduled" not in content


def test_ended_coverage_gives_its_end_time(client, coverage):
    from masthead.live.models import LivePage

    end = timezone.now() - dt.timedelta(minutes=5)
    LivePage.objects.filter(pk=coverage.page.pk).update(coverage_end=end)
    posting = {o["@type"]: o for o in json_ld(client.get(coverage.page.url).content)}[
        "LiveBlogPosting"
    ]
    assert dt.datetime.fromisoformat(posting["coverageEndTime"]) == end


def test_live_page_head_links_its_entry_feeds(client, coverage):
    _, links = head_tags(client.get(coverage.page.url).content)
    hrefs = {link["href"] for link in links if link.get("rel") == "alternate"}
    assert f"/feeds/live/{coverage.page.pk}/atom/" in hrefs
    assert f"/feeds/live/{coverage.page.pk}/json/" in hrefs


def test_entry_feeds_have_the_lifetimes_and_tags_of_pages(client, coverage, settings):
    from masthead.caching.middleware import public_cache_control

    settings.MASTHEAD_PAGE_CACHE = True
    url = f"/feeds/live/{coverage.page.pk}/atom/"
    first = client.get(url)
    # The same s-maxage as pages (browsers revalidate), never a lifetime of its own, and
    # the tags a proxy bans by when an entry is published.
    assert first["Cache-Control"] == public_cache_control(
        settings.MASTHEAD_PAGE_CACHE_SECONDS, settings.MASTHEAD_PAGE_CACHE_STALE_SECONDS
    )
    assert f",page:{coverage.page.pk}," in first["X-Cache-Tags"]
    assert ",feeds," in first["X-Cache-Tags"]
    assert client.get(url)["X-Cache"] == "HIT"
    LiveEntryFactory(
        page=coverage.page,
        headline="zzfresh entry",
        published_at=timezone.now() - dt.timedelta(seconds=1),
    )
    fresh = client.get(url)
    assert fresh["X-Cache"] == "MISS"
    assert b"zzfresh entry" in fresh.content
