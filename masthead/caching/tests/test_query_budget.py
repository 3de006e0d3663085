"""An uncached page costs a fixed number of SQL queries, whatever the number of teasers.

The page cache is off here (settings.test), so every request renders. Each page is
requested once to warm what a running site keeps warm (Wagtail's site root paths,
the cached id lists of the discovery blocks), then counted. The discovery blocks are
exercised on their longest paths: curated picks, counted views, pinned and computed
related stories all present.
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from masthead.articles.models import ArticlePage
from masthead.core import changes
from masthead.discovery import counter
from masthead.discovery.models import ArticleRelatedArticle, Pick, PickList, RelatedPin

pytestmark = pytest.mark.django_db

ARTICLE_BUDGET = 12
HOME_BUDGET = 15
SECTION_BUDGET = 12
TOPIC_BUDGET = 8
AUTHOR_BUDGET = 8
# The first render after a publish also rebuilds the cached id lists.
COLD_ARTICLE_BUDGET = 22


def _queries(client, url: str, *, cold: bool = False) -> int:
    client.get(url)
    if cold:
        changes.bump(changes.STORIES)  # what any publish does
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


def _grow(newsroom, count: int, start: int = 0, *, own_pictures: bool = False) -> None:
    from masthead.images.factories import MastheadImageFactory

    for i in range(start, start + count):
        newsroom.publish(
            newsroom.news if i % 2 else newsroom.analysis,
            slug=f"more-{i}",
            title=f"Harbour board report, part {i}",
            days_ago=10 + i / 10,
            lead_image=MastheadImageFactory() if own_pictures else newsroom.image,
            authors=[newsroom.reporter, newsroom.columnist],
            topics=[newsroom.energy, newsroom.marevia],
            editors_choice=i % 3 == 0,
        )


def _curate(newsroom, story) -> None:
    """Give ``story`` and the site every kind of discovery candidate, in proportion."""
    others = list(ArticlePage.objects.live().exclude(pk=story.pk).order_by("pk"))
    site = PickList.objects.get_or_create(section=None)[0]
    section = PickList.objects.get_or_create(section=newsroom.news)[0]
    Pick.objects.filter(pick_list__in=[site, section]).delete()
    for n, other in enumerate(others[:6]):
        Pick.objects.create(pick_list=site if n % 2 else section, article=other, sort_order=n)
    RelatedPin.objects.filter(page=story).delete()
    RelatedPin.objects.create(page=story, related=others[-1], sort_order=0)
    ArticleRelatedArticle.objects.filter(article=story).delete()
    ArticleRelatedArticle.objects.bulk_create(
        ArticleRelatedArticle(article=story, related=other, score=1.0 / (n + 1))
        for n, other in enumerate(others[6:])
    )
    for n, other in enumerate(others[::2]):
        counter.record_view(other.pk, f"192.0.2.{n % 250 + 1}", "Mozilla/5.0")
    changes.bump(changes.STORIES)


@pytest.mark.slow
def test_article_page_costs_the_same_with_10_and_60_stories(client, newsroom):
    story = newsroom.stories[2]  # in News: a section pick list applies
    _grow(newsroom, 2)
    _curate(newsroom, story)
    few = _queries(client, story.url)
    _grow(newsroom, 50, start=2)
    _curate(newsroom, story)
    many = _queries(client, story.url)
    html = client.get(story.url).content.decode()
    assert html.count('class="card') >= 12  # three full blocks of teasers were rendered
    assert many <= ARTICLE_BUDGET, many
    assert many == few


def test_article_page_with_a_private_page_on_the_site_stays_within_budget(client, newsroom):
    from wagtail.models import PageViewRestriction

    PageViewRestriction.objects.create(
        page=newsroom.stories[5], restriction_type="password", password="x"
    )
    story = newsroom.stories[2]
    _curate(newsroom, story)
    assert _queries(client, story.url) <= ARTICLE_BUDGET


def test_first_render_after_a_publish_has_a_fixed_budget_too(client, newsroom):
    story = newsroom.stories[2]
    _curate(newsroom, story)
    few = _queries(client, story.url, cold=True)
    _grow(newsroom, 12)
    _curate(newsroom, story)
    many = _queries(client, story.url, cold=True)
    assert many <= COLD_ARTICLE_BUDGET, many
    assert many == few


def _cold_worker_queries(client, url: str) -> int:
    """Queries of a render by a worker that just started: every cache empty."""
    from django.core.cache import caches

    for _ in range(2):  # the pictures' renditions exist, as on a running site
        client.get(url)
        for alias in caches:
            caches[alias].clear()
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


def test_a_cold_worker_s_render_does_not_grow_with_the_teasers(client, newsroom):
    story = newsroom.stories[2]
    _curate(newsroom, story)
    few = _cold_worker_queries(client, story.url)
    _grow(newsroom, 12, own_pictures=True)  # every new teaser brings its own renditions
    _curate(newsroom, story)
    many = _cold_worker_queries(client, story.url)
    assert many == few, (few, many)


@pytest.mark.slow
def test_home_page_costs_the_same_with_6_and_24_top_stories(client, newsroom):
    _grow(newsroom, 18)
    _curate(newsroom, newsroom.stories[2])
    few = _queries(client, "/")
    newsroom.home.lead_story_count = 24
    newsroom.home.save()
    many = _queries(client, "/")
    assert client.get("/").content.decode().count('class="card') >= 24
    assert many <= HOME_BUDGET, many
    assert many == few


@pytest.mark.slow
def test_listing_pages_cost_the_same_with_more_stories(client, newsroom):
    budgets = {"/news/": SECTION_BUDGET, "/topics/energy/": TOPIC_BUDGET}
    budgets["/authors/mira-castellan/"] = AUTHOR_BUDGET
    _curate(newsroom, newsroom.stories[2])
    before = {url: _queries(client, url) for url in budgets}
    _grow(newsroom, 24)  # more than a listing page of 20
    _curate(newsroom, newsroom.stories[2])
    after = {url: _queries(client, url) for url in budgets}
    assert after == before
    for url, budget in budgets.items():
        assert after[url] <= budget, (url, after[url])
