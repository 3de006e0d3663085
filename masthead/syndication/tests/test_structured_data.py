"""JSON-LD, OpenGraph, Twitter cards, canonical URLs and feed autodiscovery in page heads."""

import datetime as dt
from unittest import mock

import pytest
from django.contrib.staticfiles import finders
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from PIL import Image

from masthead.syndication.structured_data import json_ld_script

from .validators import head_tags, json_ld

pytestmark = pytest.mark.django_db

NEWS_ARTICLE_REQUIRED = {
    "headline",
    "description",
    "image",
    "datePublished",
    "dateModified",
    "author",
    "publisher",
    "mainEntityOfPage",
    "sourceOrganization",
}


def _by_type(objects: list[dict]) -> dict[str, dict]:
    return {obj["@type"]: obj for obj in objects}


def test_article_carries_news_article_and_breadcrumbs(client, newsroom):
    story = newsroom.publish(
        days_ago=0.5,
        title="Talks resume",
        authors=[newsroom.reporter, newsroom.columnist],
        topics=[newsroom.marevia],
        lead_image=newsroom.image,
        source_name="Varsk Daily Wire",
        source_url="https://wire.example/varsk/talks",
    )
    html = client.get(story.url).content
    data = _by_type(json_ld(html))
    article = data["NewsArticle"]
    assert article["@context"] == "https://schema.org"
    assert set(article) >= NEWS_ARTICLE_REQUIRED
    canonical = f"http://testserver{story.url}"
    assert article["mainEntityOfPage"]["@id"] == article["url"] == canonical
    assert article["headline"] == "Talks resume"
    assert article["description"] == story.standfirst
    assert dt.datetime.fromisoformat(article["datePublished"]) == story.first_published_at
    assert [(a["@type"], a["name"], a["url"]) for a in article["author"]] == [
        ("Person", "Mira Castellan", "http://testserver/authors/mira-castellan/"),
        ("Person", "Kenji Larsson-Abe", "http://testserver/authors/kenji-larsson-abe/"),
    ]
    assert article["publisher"]["name"] == "The Meridian Ledger"
    logo = article["publisher"]["logo"]
    assert logo["url"] == "http://testserver/static/masthead/syndication/logo.png"
    with Image.open(finders.find("masthead/syndication/logo.png")) as picture:
        assert picture.size == (logo["width"], logo["height"]) == (512, 512)
    assert len(article["image"]) == 3
    assert all(url.startswith("http://testserver/media/images/") for url in article["image"])
    assert article["sourceOrganization"]["name"] == "Varsk Daily Wire"
    assert article["isBasedOn"]["url"] == "https://wire.example/varsk/talks"
    assert article["articleSection"] == "News"
    assert article["keywords"] == ["Marevia"]

    crumbs = data["BreadcrumbList"]["itemListElement"]
    assert [(c["position"], c["name"], c["item"]) for c in crumbs] == [
        (1, "Home", "http://testserver/"),
        (2, "News", "http://testserver/news/"),
        (3, "Talks resume", canonical),
    ]


def test_correction_shows_on_the_article_and_moves_date_modified(client, newsroom):
    corrected_at = timezone.now() - dt.timedelta(hours=2)
    story = newsroom.publish(
        days_ago=1, corrections=[(corrected_at, "An earlier version gave the wrong town.")]
    )
    html = client.get(story.url).content
    assert b"An earlier version gave the wrong town." in html
    article = _by_type(json_ld(html))["NewsArticle"]
    assert dt.datetime.fromisoformat(article["dateModified"]) == corrected_at
    assert article["correction"][0]["text"] == "An earlier version gave the wrong town."
    metas, _links = head_tags(html)
    assert metas["article:modified_time"] == [corrected_at.isoformat()]


def test_article_has_social_cards_and_canonical_url(client, newsroom):
    story = newsroom.stories[0]
    html = client.get(f"{story.url}?utm_source=feed").content
    metas, links = head_tags(html)
    # Own reporting names the publication as its source outlet.
    article = _by_type(json_ld(html))["NewsArticle"]
    assert article["sourceOrganization"]["name"] == "The Meridian Ledger"
    assert "isBasedOn" not in article
    canonical = f"http://testserver{story.url}"
    assert [link["href"] for link in links if link.get("rel") == "canonical"] == [canonical]
    assert metas["og:type"] == ["article"]
    assert metas["og:url"] == [canonical]
    assert metas["og:title"] == metas["twitter:title"] == [story.title]
    assert metas["og:description"] == [story.standfirst]
    assert metas["og:site_name"] == ["The Meridian Ledger"]
    assert metas["og:image"][0].startswith("http://testserver/media/images/")
    assert metas["twitter:card"] == ["summary_large_image"]
    assert metas["twitter:image"] == metas["og:image"]
    assert metas["article:author"] == ["http://testserver/authors/mira-castellan/"]

    # The head costs a bounded number of queries on top of the page (renditions,
    # topics, corrections), measured against the same page without it.
    with CaptureQueriesContext(connection) as with_head:
        client.get(story.url)
    with mock.patch("masthead.syndication.templatetags.syndication.head_data", return_value=None):
        client.get(story.url)
        with CaptureQueriesContext(connection) as without_head:
            client.get(story.url)
    assert len(with_head) - len(without_head) <= 5


def test_home_page_has_website_with_search_action(client, newsroom):
    html = client.get("/").content
    website = _by_type(json_ld(html))["WebSite"]
    assert website["url"] == "http://testserver/"
    action = website["potentialAction"]
    assert action["@type"] == "SearchAction"
    assert action["target"]["urlTemplate"] == "http://testserver/search/?q={search_term_string}"
    assert action["query-input"] == "required name=search_term_string"
    assert "NewsArticle" not in _by_type(json_ld(html))


def test_feed_autodiscovery_on_every_kind_of_page(client, newsroom):
    site_feeds = {"/feeds/rss/", "/feeds/atom/", "/feeds/json/"}
    expected = {
        "/": set(),
        "/news/": {
            "/feeds/section/news/rss/",
            "/feeds/section/news/atom/",
            "/feeds/section/news/json/",
        },
        "/topics/marevia/": {
            "/feeds/topic/marevia/rss/",
            "/feeds/topic/marevia/atom/",
            "/feeds/topic/marevia/json/",
        },
        "/authors/mira-castellan/": {
            "/feeds/author/mira-castellan/rss/",
            "/feeds/author/mira-castellan/atom/",
            "/feeds/author/mira-castellan/json/",
        },
    }
    for url, own in expected.items():
        _metas, links = head_tags(client.get(url).content)
        feeds = {link["href"]: link["type"] for link in links if link.get("rel") == "alternate"}
        assert set(feeds) == site_feeds | own, url
        assert set(feeds.values()) == {
            "application/rss+xml",
            "application/atom+xml",
            "application/feed+json",
        }
        for href in feeds:
            assert client.get(href).status_code == 200, href


def test_listing_canonical_keeps_only_a_valid_page_number(client, newsroom):
    for url, canonical in [
        ("/news/?page=2&utm_medium=x", "http://testserver/news/?page=2"),
        ("/news/?page=abc", "http://testserver/news/"),
        ("/topics/marevia/?page=1", "http://testserver/topics/marevia/"),
        ("/authors/mira-castellan/?page=3", "http://testserver/authors/mira-castellan/?page=3"),
    ]:
        _metas, links = head_tags(client.get(url).content)
        assert [link["href"] for link in links if link.get("rel") == "canonical"] == [canonical]


def test_json_ld_script_cannot_be_closed_by_content():
    html = str(json_ld_script({"headline": "</script><script>alert(1)</script> & more"}))
    assert html.count("</script>") == 1
    assert "\\u003c/script\\u003e" in html and "\\u0026" in html
