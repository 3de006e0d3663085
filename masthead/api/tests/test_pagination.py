"""A partner walks 10,000 stories page by page while the newsroom keeps publishing:
no story is missed and none is seen twice."""

import datetime as dt

import pytest
from django.utils import timezone

from masthead.articles.models import ArticlePage
from masthead.operations.bulk import insert_pages

from .conftest import set_switches

pytestmark = [pytest.mark.django_db, pytest.mark.slow]

COUNT = 10_000


def _archive(section) -> list[int]:
    now = timezone.now()
    pages = []
    for i in range(COUNT):
        # Ten stories share each publication time (an import does that): the cursor
        # must break ties by id, not by position.
        when = now - dt.timedelta(days=2, minutes=i // 10)
        pages.append(
            ArticlePage(
                title=f"Archive story {i}",
                slug=f"archive-{i}",
                standfirst="An archived story.",
                live=True,
                has_unpublished_changes=False,
                first_published_at=when,
                last_published_at=when,
            )
        )
    return [p.pk for p in insert_pages(section, pages)]


def test_walk_through_10000_stories_while_publishing(client, newsroom):
    set_switches(anonymous_rate_per_minute=100_000)
    archive = set(_archive(newsroom.analysis))
    before = archive | {s.pk for s in newsroom.stories}
    seen: list[int] = []
    published: list[int] = []
    url = "/api/v1/stories/?limit=100"
    requests = 0
    while url:
        data = client.get(url).json()
        requests += 1
        seen += [item["id"] for item in data["results"]]
        url = data["next"]
        if requests % 10 == 0:
            # Newly published stories come in at the top, through the admin's path
            # (a revision) and through a plain save, while the walk is underway.
            published.append(newsroom.publish(days_ago=0, revision=True).pk)
            published.append(newsroom.publish(days_ago=0.001).pk)
    assert len(seen) == len(set(seen)), "a story was seen twice"
    assert before <= set(seen), f"{len(before - set(seen))} stories were missed"
    assert len(published) >= 18
    # A new walk starts with what was published meanwhile.
    first = client.get(f"/api/v1/stories/?limit={len(published)}").json()["results"]
    assert {item["id"] for item in first} == set(published)


def test_offsets_would_have_repeated_stories(client, newsroom):
    """Why a cursor: the same walk by page offset sees a story twice after one publish."""
    ids = [s.pk for s in newsroom.stories]
    first_page = ids[:4]
    newsroom.publish(days_ago=0)
    by_offset = [
        s.pk for s in ArticlePage.objects.live().order_by("-first_published_at", "-pk")[4:8]
    ]
    assert by_offset[0] == first_page[-1]  # repeated
    data = client.get("/api/v1/stories/?limit=4").json()
    # (the new story is first now; the cursor after our old first page still continues
    # exactly after ids[3])
    from masthead.api import cursor

    old = ArticlePage.objects.get(pk=first_page[-1])
    after = client.get(
        f"/api/v1/stories/?limit=4&cursor={cursor.encode(old.first_published_at, old.pk)}"
    ).json()
    assert [item["id"] for item in after["results"]] == ids[4:8]
    assert data["results"][0]["id"] not in ids
