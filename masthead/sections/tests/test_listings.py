"""Fronts and listings show published public stories only, paginated."""

import datetime as dt
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from wagtail.models import PageViewRestriction

from masthead.articles.factories import ArticlePageFactory
from masthead.sections.models import LISTING_PAGE_SIZE

pytestmark = pytest.mark.django_db


def _headline_links(html: str) -> list[str]:
    return re.findall(r'<h3 class="card__headline"><a href="([^"]+)"', html)


@pytest.fixture
def hidden(newsroom):
    """A draft, a scheduled story, an unpublished story and a private story."""
    draft = ArticlePageFactory(
        parent=newsroom.news,
        live=False,
        slug="secret-draft",
        title="Secret draft headline",
        topics=[newsroom.marevia],
        authors=[newsroom.reporter],
    )
    draft.save_revision()
    scheduled = ArticlePageFactory(
        parent=newsroom.news,
        live=False,
        slug="secret-scheduled",
        title="Secret scheduled headline",
        topics=[newsroom.marevia],
        authors=[newsroom.reporter],
    )
    scheduled.go_live_at = timezone.now() + dt.timedelta(days=1)
    scheduled.save_revision().publish()
    unpublished = newsroom.publish(
        slug="secret-unpublished",
        title="Secret unpublished headline",
        topics=[newsroom.marevia],
        authors=[newsroom.reporter],
    )
    unpublished.unpublish()
    private = newsroom.publish(
        slug="secret-private",
        title="Secret private headline",
        topics=[newsroom.marevia],
        authors=[newsroom.reporter],
    )
    PageViewRestriction.objects.create(page=private, restriction_type="login")
    return [draft, scheduled, unpublished, private]


@pytest.mark.parametrize("url", ["/", "/news/", "/topics/marevia/", "/authors/mira-castellan/"])
def test_public_surfaces_never_show_hidden_stories(client, newsroom, hidden, url):
    html = client.get(url).content.decode()
    assert "Secret" not in html
    # The page does list stories, so the absence above is not an empty page's.
    assert set(_headline_links(html)) & {s.url for s in newsroom.stories}


def test_hidden_stories_cannot_be_read_by_url(client, newsroom, hidden):
    for story in hidden:
        response = client.get(f"/news/{story.slug}/")
        assert response.status_code in (302, 404), story.slug
        assert b"Secret" not in response.content


def test_home_page_lists_the_latest_stories_first(client, newsroom):
    html = client.get("/").content.decode()
    links = _headline_links(html)
    assert links[0] == newsroom.stories[0].url
    assert len(links) == len(set(links)), "no story twice on the home page"


def test_section_page_lists_only_its_stories(client, newsroom):
    links = _headline_links(client.get("/news/").content.decode())
    own = [s.url for s in newsroom.stories if s.url.startswith("/news/")]
    assert set(own) <= set(links)


def test_section_pagination_copes_with_bad_page_numbers(client, newsroom):
    for i in range(LISTING_PAGE_SIZE + 3):
        newsroom.publish(slug=f"extra-{i}", days_ago=20 + i)
    first = client.get("/news/")
    assert 'rel="next"' in first.content.decode()
    for page in ("2", "abc", "9999", "-1", "1e9"):
        response = client.get(f"/news/?page={page}")
        assert response.status_code == 200, page


def test_topic_page_lists_its_stories(client, newsroom):
    response = client.get("/topics/marevia/")
    assert response.status_code == 200
    html = response.content.decode()
    expected = [s.url for s in newsroom.stories if newsroom.marevia in s.topics]
    assert set(_headline_links(html)) == set(expected)
    assert "<h1>Marevia</h1>" in html


def test_author_page_lists_their_stories(client, newsroom):
    response = client.get("/authors/mira-castellan/")
    assert response.status_code == 200
    assert len(_headline_links(response.content.decode())) == len(newsroom.stories)


def test_topic_and_author_pages_paginate(client, newsroom):
    for i in range(LISTING_PAGE_SIZE + 1):
        newsroom.publish(
            slug=f"more-{i}",
            days_ago=30 + i,
            topics=[newsroom.energy],
            authors=[newsroom.columnist],
        )
    for url in ("/topics/energy/", "/authors/kenji-larsson-abe/"):
        first = client.get(url).content.decode()
        second = client.get(url + "?page=2").content.decode()
        assert len(_headline_links(first)) == LISTING_PAGE_SIZE
        assert _headline_links(second)
        assert not set(_headline_links(first)) & set(_headline_links(second))


@pytest.mark.parametrize(
    "url",
    [
        "/no-such-page/",
        "/topics/no-such-topic/",
        "/authors/nobody/",
        "/news/no-such-story/",
        "/%ff%fe/",
        "/topics/%00/",
        "/media/../../etc/passwd",
        "/media/nothing.jpg",
    ],
)
def test_unknown_urls_get_a_styled_404(client, newsroom, url):
    response = client.get(url)
    assert response.status_code == 404
    html = response.content.decode()
    assert "We could not find that page" in html
    assert 'class="site-header"' in html


def test_a_section_made_private_leaves_the_navigation_at_once(client, newsroom):
    assert 'href="/analysis/"' in client.get("/").content.decode()
    PageViewRestriction.objects.create(page=newsroom.analysis, restriction_type="login")
    assert 'href="/analysis/"' not in client.get("/").content.decode()


def test_listings_page_through_without_counting_the_archive(client, newsroom, settings):
    settings.MASTHEAD_PAGE_CACHE = False
    for i in range(LISTING_PAGE_SIZE + 1):
        newsroom.publish(
            slug=f"paged-{i}",
            days_ago=30 + i,
            topics=[newsroom.energy],
            authors=[newsroom.columnist],
        )
    for url in ("/news/", "/topics/energy/", "/authors/kenji-larsson-abe/"):
        with CaptureQueriesContext(connection) as queries:
            first = client.get(url).content.decode()
        assert not [q["sql"] for q in queries if "COUNT(" in q["sql"].upper()], url
        assert 'rel="next" href="?page=2"' in first and 'rel="prev"' not in first
        second = client.get(url + "?page=2").content.decode()
        assert 'rel="prev" href="?page=1"' in second
        assert "Page 2" in second
        # The listing itself, not the discovery blocks beside it.
        first, second = (
            html.split('class="story-list"')[1].split("</ul>")[0] for html in (first, second)
        )
        assert not set(_headline_links(first)) & set(_headline_links(second))
        # Newest first across the page boundary, and nothing left out.
        dates = re.findall(r'<time datetime="([^"]+)"', first + second)
        assert dates == sorted(dates, reverse=True)


def test_a_page_number_past_the_end_shows_the_last_page(client, newsroom):
    for url in ("/news/", "/topics/marevia/", "/authors/mira-castellan/"):
        last = client.get(url).content.decode()
        response = client.get(url + "?page=999")
        assert response.status_code == 200
        assert _headline_links(response.content.decode()) == _headline_links(last)
