"""An uncached page costs a fixed number of SQL queries, whatever the number of teasers."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

pytestmark = pytest.mark.django_db

HOME_BUDGET = 15


def _queries(client, url: str) -> int:
    client.get(url)  # warm Wagtail's own caches (site root paths), as on a running site
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


def test_home_page_stays_within_its_budget_as_teasers_grow(client, newsroom, settings):
    settings.MASTHEAD_PAGE_CACHE = False
    few = _queries(client, "/")
    for i in range(30):
        newsroom.publish(
            slug=f"more-{i}",
            days_ago=10 + i,
            lead_image=newsroom.image,
            authors=[newsroom.reporter],
            topics=[newsroom.energy],
            editors_choice=i % 3 == 0,
        )
    many = _queries(client, "/")
    assert many <= HOME_BUDGET, many
    assert many == few


def test_listing_pages_cost_the_same_with_more_stories(client, newsroom, settings):
    settings.MASTHEAD_PAGE_CACHE = False
    before = {
        url: _queries(client, url)
        for url in ("/news/", "/topics/energy/", "/authors/mira-castellan/")
    }
    for i in range(25):
        newsroom.publish(
            slug=f"extra-{i}",
            days_ago=10 + i,
            lead_image=newsroom.image,
            authors=[newsroom.reporter],
            topics=[newsroom.energy],
        )
    after = {url: _queries(client, url) for url in before}
    assert after == before
