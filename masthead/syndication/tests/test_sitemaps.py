"""Sitemap index, paged sitemaps, the news sitemap and robots.txt, checked against the XSDs."""

import datetime as dt
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from masthead.articles.models import ArticlePage

from .conftest import HIDDEN_MARK
from .validators import NEWS, SM, locations, parse_sitemap

pytestmark = pytest.mark.django_db


def _get(client, url: str) -> bytes:
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    assert response["Content-Type"].startswith("application/xml")
    return response.content


def _all_sitemap_urls(client) -> list[str]:
    index = parse_sitemap(_get(client, "/sitemap.xml"), "siteindex.xsd")
    urls = []
    for loc in locations(index):
        urls += locations(parse_sitemap(_get(client, loc.removeprefix("http://testserver"))))
    return urls


def test_sitemap_index_lists_every_sitemap_with_lastmod(client, newsroom):
    index = parse_sitemap(_get(client, "/sitemap.xml"), "siteindex.xsd")
    entries = {
        el.findtext(f"{SM}loc"): el.findtext(f"{SM}lastmod") for el in index.iter(f"{SM}sitemap")
    }
    assert set(entries) == {
        f"http://testserver/sitemap-{name}.xml"
        for name in ("pages", "stories", "topics", "authors")
    }
    assert all(entries.values()), entries
    newest = newsroom.stories[0].first_published_at
    assert dt.datetime.fromisoformat(entries["http://testserver/sitemap-stories.xml"]) == newest

    urls = _all_sitemap_urls(client)
    assert len(urls) == len(set(urls))
    assert set(urls) >= {f"http://testserver{s.url}" for s in newsroom.stories}
    assert {
        "http://testserver/",
        "http://testserver/news/",
        "http://testserver/topics/marevia/",
        "http://testserver/authors/mira-castellan/",
    } <= set(urls)
    # The columnist has no published story, so no author page is offered to crawlers.
    assert "http://testserver/authors/kenji-larsson-abe/" not in urls


def test_sitemaps_omit_drafts_scheduled_unpublished_and_private_stories(client, newsroom, hidden):
    urls = _all_sitemap_urls(client)
    assert not [url for url in urls if HIDDEN_MARK in url]
    news = client.get("/news-sitemap.xml").content.decode()
    assert HIDDEN_MARK not in news
    assert HIDDEN_MARK not in client.get("/sitemap.xml").content.decode()


def test_story_sitemap_is_paged_and_each_page_is_limited(client, newsroom, settings):
    settings.MASTHEAD_SITEMAP_PAGE_SIZE = 3
    index = parse_sitemap(_get(client, "/sitemap.xml"), "siteindex.xsd")
    story_pages = [loc for loc in locations(index) if "sitemap-stories" in loc]
    assert story_pages == [
        "http://testserver/sitemap-stories.xml",
        "http://testserver/sitemap-stories.xml?p=2",
        "http://testserver/sitemap-stories.xml?p=3",
    ]
    with CaptureQueriesContext(connection) as queries:
        page_two = parse_sitemap(_get(client, "/sitemap-stories.xml?p=2"))
    assert len(locations(page_two)) == 3
    story_sql = [q["sql"] for q in queries.captured_queries if "articles_articlepage" in q["sql"]]
    assert any(re.search(r"LIMIT 3 OFFSET 3\b", sql) for sql in story_sql), story_sql
    seen = []
    for loc in story_pages:
        seen += locations(parse_sitemap(_get(client, loc.removeprefix("http://testserver"))))
    # Oldest first, so a new story never shifts what earlier pages hold.
    assert seen == [f"http://testserver{s.url}" for s in reversed(newsroom.stories)]
    assert client.get("/sitemap-stories.xml?p=4").status_code == 404
    assert client.get("/sitemap-stories.xml?p=abc").status_code == 404
    assert client.get("/sitemap-nothing.xml").status_code == 404


def test_story_lastmod_follows_corrections(client, newsroom):
    corrected_at = timezone.now() + dt.timedelta(days=3)
    story = newsroom.publish(days_ago=10, corrections=[(corrected_at, "A date was wrong.")])
    doc = parse_sitemap(_get(client, "/sitemap-stories.xml"))
    lastmod = {
        url.findtext(f"{SM}loc"): url.findtext(f"{SM}lastmod") for url in doc.iter(f"{SM}url")
    }
    assert lastmod[f"http://testserver{story.url}"] == corrected_at.date().isoformat()


def test_news_sitemap_lists_stories_of_the_last_two_days(client, newsroom):
    fresh = newsroom.publish(days_ago=0.5, title="Fresh & <new> story")
    doc = parse_sitemap(_get(client, "/news-sitemap.xml"), "news-sitemap.xsd")
    urls = {url.findtext(f"{SM}loc"): url for url in doc.iter(f"{SM}url")}
    # Stories 0 and 1 are one and two days old; the two-day boundary has passed for story 1.
    assert set(urls) == {
        f"http://testserver{fresh.url}",
        f"http://testserver{newsroom.stories[0].url}",
    }
    news = urls[f"http://testserver{fresh.url}"].find(f"{NEWS}news")
    assert news.findtext(f"{NEWS}publication/{NEWS}name") == "The Meridian Ledger"
    assert news.findtext(f"{NEWS}publication/{NEWS}language") == "en"
    assert news.findtext(f"{NEWS}title") == "Fresh & <new> story"
    published = dt.datetime.fromisoformat(news.findtext(f"{NEWS}publication_date"))
    assert published == fresh.first_published_at


def test_a_site_without_stories_still_has_a_valid_index(client, newsroom):
    ArticlePage.objects.update(live=False)
    index = parse_sitemap(_get(client, "/sitemap.xml"), "siteindex.xsd")
    assert locations(index) == ["http://testserver/sitemap-pages.xml"]
    assert set(locations(parse_sitemap(_get(client, "/sitemap-pages.xml")))) == {
        "http://testserver/",
        "http://testserver/news/",
        "http://testserver/analysis/",
    }
    assert client.get("/sitemap-stories.xml").status_code == 404
    assert client.get("/feeds/rss/").status_code == 200


def test_robots_txt_names_both_sitemaps(client, newsroom):
    response = client.get("/robots.txt")
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    lines = response.content.decode().splitlines()
    assert "Sitemap: http://testserver/sitemap.xml" in lines
    assert "Sitemap: http://testserver/news-sitemap.xml" in lines
    assert "Disallow: /admin/" in lines
    for line in lines:
        if line.startswith("Sitemap: "):
            assert client.get(line.removeprefix("Sitemap: http://testserver")).status_code == 200


def test_without_recent_stories_there_is_no_news_sitemap_and_robots_omits_it(client, newsroom):
    from datetime import timedelta

    from django.utils import timezone

    from masthead.articles.models import ArticlePage

    ArticlePage.objects.update(first_published_at=timezone.now() - timedelta(days=10))
    assert client.get("/news-sitemap.xml").status_code == 404
    robots = client.get("/robots.txt").content.decode()
    assert "news-sitemap.xml" not in robots
    assert "/sitemap.xml" in robots
