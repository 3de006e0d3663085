"""Feeds for the site, sections, topics and authors, checked with feedparser and JSON Schema."""

import datetime as dt
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from masthead.syndication.feeds import absolute_urls

from .conftest import HIDDEN_MARK
from .validators import parse_feed, parse_json_feed

pytestmark = pytest.mark.django_db

SCOPES = ["", "section/news/", "topic/marevia/", "author/mira-castellan/"]


def _feed(client, scope: str, fmt: str, query: str = ""):
    response = client.get(f"/feeds/{scope}{fmt}/{query}")
    assert response.status_code == 200, response.content[:300]
    if fmt == "json":
        assert response["Content-Type"] == "application/feed+json; charset=utf-8"
        return parse_json_feed(response.content)
    return parse_feed(response.content)


def test_every_feed_validates_in_every_format(client, newsroom):
    for scope in SCOPES:
        rss = _feed(client, scope, "rss")
        atom = _feed(client, scope, "atom")
        json_feed = _feed(client, scope, "json")
        assert rss.version == "rss20"
        assert atom.version == "atom10"
        assert rss.entries, f"the {scope} feed should list stories"
        links = [e.link for e in rss.entries]
        assert links == [e.link for e in atom.entries] == [i["url"] for i in json_feed["items"]]
    assert "Last-Modified" in client.get("/feeds/atom/")


def test_feeds_have_the_lifetimes_and_tags_of_pages(client, newsroom, settings):
    from masthead.caching.middleware import public_cache_control

    settings.MASTHEAD_PAGE_CACHE = True
    response = client.get("/feeds/atom/")
    # The same s-maxage as pages, and tags a proxy bans by: never a lifetime of its own.
    assert response["Cache-Control"] == public_cache_control(
        settings.MASTHEAD_PAGE_CACHE_SECONDS, settings.MASTHEAD_PAGE_CACHE_STALE_SECONDS
    )
    assert ",feeds," in response["X-Cache-Tags"]


def test_site_feed_lists_stories_newest_first_with_dates_authors_and_images(client, newsroom):
    rss = _feed(client, "", "rss")
    assert len(rss.entries) == 8
    first = rss.entries[0]
    story = newsroom.stories[0]
    assert first.title == story.title
    assert first.link == f"http://testserver{story.url}"
    published = dt.datetime(*first.published_parsed[:6], tzinfo=dt.UTC)
    assert abs(published - story.first_published_at) < dt.timedelta(seconds=1)
    assert first.author == "Mira Castellan"
    assert {t.term for t in first.tags} == {"News", "Energy"}
    (enclosure,) = first.enclosures
    assert enclosure.type == "image/jpeg"
    assert enclosure.href.startswith("http://testserver/media/images/")
    assert int(enclosure.length) > 0
    assert first.media_content[0]["url"] == enclosure.href
    assert first.media_credit[0]["content"] == "Ana Rivas"

    atom = _feed(client, "", "atom")
    entry = atom.entries[0]
    assert entry.authors[0]["href"] == "http://testserver/authors/mira-castellan/"
    assert [link.href for link in entry.links if link.rel == "enclosure"] == [enclosure.href]

    item = _feed(client, "", "json")["items"][0]
    assert item["image"] == enclosure.href
    assert item["authors"] == [
        {"name": "Mira Castellan", "url": "http://testserver/authors/mira-castellan/"}
    ]
    assert item["date_published"] == story.first_published_at.isoformat()


def test_scoped_feeds_hold_only_their_stories(client, newsroom):
    news = {e.link for e in _feed(client, "section/news/", "rss").entries}
    assert news == {f"http://testserver{s.url}" for s in newsroom.stories[::2]}
    energy = {i["url"] for i in _feed(client, "topic/energy/", "json")["items"]}
    assert energy == {f"http://testserver{newsroom.stories[i].url}" for i in (0, 3, 6)}
    assert _feed(client, "author/kenji-larsson-abe/", "atom").entries == []


def test_several_authors_each_appear(client, newsroom):
    newsroom.publish(days_ago=0.1, authors=[newsroom.reporter, newsroom.columnist])
    atom = _feed(client, "", "atom")
    assert [a["name"] for a in atom.entries[0].authors] == ["Mira Castellan", "Kenji Larsson-Abe"]
    item = _feed(client, "", "json")["items"][0]
    assert [a["name"] for a in item["authors"]] == ["Mira Castellan", "Kenji Larsson-Abe"]


def test_story_without_byline_or_topics_borrows_none_from_its_neighbours(client, newsroom):
    # Regression: an empty prefetched byline used to be re-queried through the prefetch
    # queryset and came back with the bylines and topics of every story in the batch.
    bare = newsroom.publish(days_ago=2.5, title="No byline, no topics")
    items = {item["url"]: item for item in _feed(client, "", "json")["items"]}
    item = items[f"http://testserver{bare.url}"]
    assert "authors" not in item
    assert item["tags"] == ["News"]
    entry = next(e for e in _feed(client, "", "rss").entries if e.link.endswith(bare.url))
    assert [t.term for t in entry.tags] == ["News"]
    assert "author" not in entry


def test_feed_omits_drafts_scheduled_unpublished_and_private_stories(client, newsroom, hidden):
    for scope in SCOPES:
        for fmt in ("rss", "atom", "json"):
            response = client.get(f"/feeds/{scope}{fmt}/")
            assert response.status_code == 200
            assert HIDDEN_MARK not in response.content.decode(), f"{scope}{fmt} leaks"
    assert client.get("/feeds/section/zzhidden-members/rss/").status_code == 404


def test_feed_carries_summary_by_default_and_full_text_by_setting(client, newsroom, settings):
    body_text = "Foreign ministers met on Tuesday"
    rss = client.get("/feeds/rss/").content.decode()
    assert body_text not in rss
    assert "The talks decide whether the crossing reopens" in rss

    settings.MASTHEAD_FEED_FULL_TEXT = True
    entry = _feed(client, "", "rss").entries[0]
    assert body_text in entry.content[0].value
    assert entry.summary.startswith("The talks decide")
    assert body_text in _feed(client, "", "atom").entries[0].content[0].value
    item = _feed(client, "", "json")["items"][0]
    assert body_text in item["content_html"]
    assert "content_text" not in item


def test_correction_moves_the_modified_date(client, newsroom):
    corrected_at = timezone.now() - dt.timedelta(hours=1)
    story = newsroom.publish(
        days_ago=0.5, corrections=[(corrected_at, "An earlier version misspelt a name.")]
    )
    item = _feed(client, "", "json")["items"][0]
    assert item["url"].endswith(story.url)
    assert item["date_modified"] == corrected_at.isoformat()
    assert item["date_published"] == story.first_published_at.isoformat()
    entry = _feed(client, "", "atom").entries[0]
    updated = dt.datetime(*entry.updated_parsed[:6], tzinfo=dt.UTC)
    assert abs(updated - corrected_at) < dt.timedelta(seconds=1)


def test_feed_is_paged_with_next_links(client, newsroom, settings):
    settings.MASTHEAD_FEED_ITEMS = 3
    seen = []
    page = 1
    while True:
        data = _feed(client, "", "json", f"?page={page}")
        seen += [item["url"] for item in data["items"]]
        assert len(data["items"]) <= 3
        if "next_url" not in data:
            break
        assert data["next_url"] == f"http://testserver/feeds/json/?page={page + 1}"
        page += 1
    assert page == 3
    assert seen == [f"http://testserver{s.url}" for s in newsroom.stories]
    rss = _feed(client, "", "rss")
    assert {"rel": "next", "href": "http://testserver/feeds/rss/?page=2"}.items() <= next(
        link for link in rss.feed.links if link.rel == "next"
    ).items()
    atom = _feed(client, "", "atom", "?page=2")
    assert [link.href for link in atom.feed.links if link.rel == "next"] == [
        "http://testserver/feeds/atom/?page=3"
    ]


def test_unknown_feed_or_page_out_of_range_or_malformed_is_404(client, newsroom, settings):
    settings.MASTHEAD_FEED_ITEMS = 3
    for query in ["?page=4", "?page=0", "?page=abc", "?page=-1", "?page=99999999", "?page=%00"]:
        assert client.get(f"/feeds/rss/{query}").status_code == 404, query
    for url in [
        "/feeds/topic/nope/rss/",
        "/feeds/author/nope/json/",
        "/feeds/section/nope/atom/",
        "/feeds/section/story-0/atom/",
        "/feeds/xml/",
    ]:
        assert client.get(url).status_code == 404, url


def test_feed_query_is_limited_and_does_not_grow_with_items(client, newsroom, settings):
    settings.MASTHEAD_FEED_ITEMS = 3
    client.get("/feeds/rss/")  # warm the rendition and site caches
    with CaptureQueriesContext(connection) as small:
        client.get("/feeds/rss/")
    story_queries = [q["sql"] for q in small.captured_queries if "articles_articlepage" in q["sql"]]
    assert any(re.search(r"LIMIT 4\b", sql) for sql in story_queries), story_queries
    settings.MASTHEAD_FEED_ITEMS = 50
    client.get("/feeds/rss/")
    with CaptureQueriesContext(connection) as large:
        client.get("/feeds/rss/")
    assert len(large.captured_queries) == len(small.captured_queries)


def test_full_text_links_and_images_become_absolute():
    html = (
        '<p><a href="/news/a/">a</a> <a href="https://x.example/">x</a> <a href="//cdn/x">c</a></p>'
        '<picture><source srcset="/media/a.webp 480w, /media/b.webp 800w">'
        '<img src="/media/a.jpg" alt=""></picture>'
    )
    assert absolute_urls(html, "http://testserver/") == (
        '<p><a href="http://testserver/news/a/">a</a> <a href="https://x.example/">x</a> '
        '<a href="//cdn/x">c</a></p>'
        '<picture><source srcset="http://testserver/media/a.webp 480w, '
        'http://testserver/media/b.webp 800w">'
        '<img src="http://testserver/media/a.jpg" alt=""></picture>'
    )
