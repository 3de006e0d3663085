"""The edited front page: the editor's lead and rows, filled with live stories, never twice."""

import re

import pytest
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from wagtail.models import PageViewRestriction

from masthead.articles.factories import ArticlePageFactory
from masthead.sections.factories import SectionPageFactory

pytestmark = pytest.mark.django_db

HOME_BUDGET = 15  # as for the automatic front (caching/tests/test_query_budget.py)
CARD = re.compile(r'<h3 class="card__headline"><a href="([^"]+)"')


def _arrange(home, *blocks) -> None:
    home.front = list(blocks)
    home.save_revision().publish()


def _cards(html: str) -> list[str]:
    return CARD.findall(html)


def _front(client) -> str:
    response = client.get("/")
    assert response.status_code == 200
    return response.content.decode()


def test_an_arranged_front_shows_the_chosen_lead_then_rows_with_no_story_twice(client, newsroom):
    old = newsroom.stories[6]  # an older story the editor wants on top
    _arrange(
        newsroom.home,
        ("lead", {"story": old}),
        ("row", {"heading": "", "section": newsroom.analysis, "topic": None, "count": 2}),
        ("row", {"heading": "Energy", "section": None, "topic": newsroom.energy, "count": 3}),
        ("latest", {"heading": "", "count": 4}),
        ("editors_choice", {"heading": ""}),
    )
    html = _front(client)
    cards = _cards(html)
    assert cards[0] == old.url
    assert len(cards) == len(set(cards)), "a story is shown twice"
    rows = html.split('class="front-lead"')[1]
    assert 'id="front-2"><a href="/analysis/">Analysis</a>' in rows
    in_row = _cards(rows.split('id="front-2"')[1].split("</section>")[0])
    assert len(in_row) == 2 and all(url.startswith("/analysis/") for url in in_row)
    energy = _cards(rows.split('id="front-3"')[1].split("</section>")[0])
    assert {s.url for s in newsroom.stories if newsroom.energy in s.topics} >= set(energy)
    assert "Latest stories" in html


def test_empty_slots_take_the_newest_stories_and_a_withdrawn_lead_is_replaced(client, newsroom):
    chosen = newsroom.stories[4]
    _arrange(newsroom.home, ("lead", {"story": chosen}), ("latest", {"heading": "", "count": 3}))
    chosen.unpublish()
    cards = _cards(_front(client))
    assert chosen.url not in cards
    assert cards == [s.url for s in newsroom.stories[:4]]  # newest first
    _arrange(newsroom.home, ("lead", {"story": None}))
    assert _cards(_front(client)) == [newsroom.stories[0].url]


def test_a_private_section_row_shows_nothing_of_it(client, newsroom):
    members = SectionPageFactory(parent=newsroom.home, title="Members", slug="members")
    secret = ArticlePageFactory(parent=members, title="Members briefing")
    secret.save_revision().publish()
    PageViewRestriction.objects.create(page=members, restriction_type="login")
    _arrange(newsroom.home, ("row", {"heading": "", "section": members, "topic": None, "count": 3}))
    html = _front(client)
    assert "Members briefing" not in html


def test_without_an_arrangement_the_automatic_front_is_served(client, newsroom):
    html = _front(client)
    assert 'id="top-heading"' in html and "front-lead" not in html
    assert _cards(html)[:6] == [s.url for s in newsroom.stories[:6]]


def _queries(client) -> int:
    client.get("/")
    with CaptureQueriesContext(connection) as captured:
        client.get("/")
    return len(captured)


def _more(newsroom, count: int, start: int) -> None:
    for i in range(start, start + count):
        newsroom.publish(
            newsroom.news if i % 2 else newsroom.analysis,
            days_ago=0.1 + i / 100,
            slug=f"later-{i}",
            title=f"Later story {i}",
            lead_image=newsroom.image,
            authors=[newsroom.reporter],
            topics=[newsroom.marevia],
            editors_choice=i % 3 == 0,
        )


@pytest.mark.slow
def test_edited_front_costs_a_fixed_number_of_queries(client, newsroom):
    blocks = [
        ("lead", {"story": newsroom.stories[5]}),
        ("row", {"heading": "", "section": newsroom.news, "topic": None, "count": 3}),
        ("row", {"heading": "", "section": None, "topic": newsroom.marevia, "count": 3}),
        ("latest", {"heading": "", "count": 4}),
        ("editors_choice", {"heading": ""}),
        ("popular", {"heading": ""}),
    ]
    _more(newsroom, 16, 0)  # enough for every slot and block
    _arrange(newsroom.home, *blocks)
    few = _queries(client)
    _more(newsroom, 30, 16)
    _arrange(newsroom.home, *blocks)
    many = _queries(client)
    assert _cards(_front(client)).count(newsroom.stories[5].url) == 1
    assert many <= HOME_BUDGET, many
    assert many == few


@override_settings(MASTHEAD_PAGE_CACHE=True)
def test_a_cached_edited_front_costs_nothing_and_changes_with_its_stories(client, newsroom):
    _arrange(
        newsroom.home,
        ("lead", {"story": None}),
        ("row", {"heading": "", "section": newsroom.analysis, "topic": None, "count": 2}),
    )
    client.get("/")
    with CaptureQueriesContext(connection) as captured:
        response = client.get("/")
    assert response["X-Cache"] == "HIT" and len(captured) == 0
    fresh = newsroom.publish(
        newsroom.analysis, days_ago=0.01, title="Fresh analysis", revision=True
    )
    assert fresh.url in _cards(client.get("/").content.decode())


# Section fronts: the same story blocks, filled from the section's own stories.


def _section_front(client, path: str = "/news/") -> tuple[str, str]:
    """Return the arranged part of a section page and its list of stories."""
    response = client.get(path)
    assert response.status_code == 200
    html = response.content.decode()
    main = html.split('<main id="main"')[1].split('<aside class="rail">')[0]
    front, _, listing = main.partition('id="stories-heading"')
    return (front if "section-front" in front else ""), listing


def test_a_section_front_leads_with_the_editor_s_choice_and_its_list_never_repeats_it(
    client, newsroom
):
    news = [s for s in newsroom.stories if s.get_parent().pk == newsroom.news.pk]
    analysis_story = next(s for s in newsroom.stories if s not in news)
    oldest = news[-1]
    _arrange(
        newsroom.news,
        ("lead", {"story": oldest}),
        ("row", {"heading": "", "section": None, "topic": newsroom.energy, "count": 2}),
        ("latest", {"heading": "", "count": 1}),
    )
    front, listing = _section_front(client)
    shown = _cards(front)
    assert shown[0] == oldest.url
    assert all(url.startswith("/news/") for url in shown)
    assert 'href="/topics/energy/">Energy</a>' in front
    assert "More stories" in listing
    assert set(_cards(listing)) == {s.url for s in news} - set(shown)
    whole = client.get("/news/").content.decode()
    assert len(_cards(whole)) == len(set(_cards(whole))), "a story is shown twice"

    # A story of another section cannot lead this one: the newest of News leads instead.
    _arrange(newsroom.news, ("lead", {"story": analysis_story}))
    front, listing = _section_front(client)
    assert _cards(front) == [news[0].url] and analysis_story.url not in front + listing


def test_a_section_front_shows_on_the_first_page_of_its_list_only(client, newsroom):
    for i in range(25):
        newsroom.publish(days_ago=2 + i / 10, slug=f"more-{i}", title=f"More {i}")
    _arrange(newsroom.news, ("lead", {"story": None}), ("latest", {"heading": "", "count": 3}))
    first, listing = _section_front(client)
    later, rest = _section_front(client, "/news/?page=2")
    assert len(_cards(first)) == 4 and later == ""
    on_front = set(_cards(first))
    assert not on_front & set(_cards(listing) + _cards(rest)), "the list repeats the front"


@pytest.mark.slow
def test_a_section_front_costs_a_fixed_number_of_queries(client, newsroom):
    def queries() -> int:
        client.get("/news/")
        with CaptureQueriesContext(connection) as captured:
            client.get("/news/")
        return len(captured)

    plain = queries()
    blocks = [
        ("lead", {"story": None}),
        ("row", {"heading": "", "section": None, "topic": newsroom.marevia, "count": 3}),
        ("latest", {"heading": "", "count": 4}),
    ]
    _more(newsroom, 16, 0)
    _arrange(newsroom.news, *blocks)
    few = queries()
    _more(newsroom, 30, 16)
    _arrange(newsroom.news, *blocks)
    many = queries()
    assert many == few and many <= HOME_BUDGET, (plain, few, many)
