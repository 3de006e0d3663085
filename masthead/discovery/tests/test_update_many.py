"""Related lists after many stories are published at once (a bulk import)."""

from unittest import mock

import pytest

from masthead.articles.factories import body_from_paragraphs
from masthead.articles.models import ArticlePage
from masthead.core.bulk import insert_pages
from masthead.discovery import related
from masthead.discovery.models import ArticleIndexEntry, ArticleRelatedArticle
from masthead.imports.tests.conftest import make_site

TEXTS = [
    ("Ferry timetable cut for winter", "The island ferry runs fewer crossings from Monday."),
    ("Ferry crossings reduced again", "Island residents protest the winter ferry timetable."),
    ("Harbour board approves ferry cuts", "The ferry timetable change was approved on Friday."),
    ("Grain exports rise in the north", "Farmers report a record harvest of winter wheat."),
    ("Wheat harvest breaks records", "Grain farmers in the north sell a record harvest."),
]


@pytest.fixture
def stories(db):
    news = make_site()[1]
    pages = [
        ArticlePage(
            title=title,
            slug=f"story-{n}",
            standfirst=text,
            body=body_from_paragraphs([text]),
            live=True,
            has_unpublished_changes=False,
        )
        for n, (title, text) in enumerate(TEXTS)
    ]
    return [page.pk for page in insert_pages(news, pages)]


def top(page_id: int) -> int:
    return (
        ArticleRelatedArticle.objects.filter(article_id=page_id)
        .order_by("-score")
        .values_list("related_id", flat=True)
        .first()
    )


@pytest.mark.parametrize(("minimum", "done"), [(100, "updated"), (1, "rebuilt")])
def test_bulk_published_stories_get_related_lists_either_way(stories, minimum, done):
    with mock.patch.object(related, "REBUILD_MIN", minimum):
        assert related.update_many(stories) == done
    assert ArticleIndexEntry.objects.count() == 5
    ferry, grain = stories[:3], stories[3:]
    assert all(top(pk) in ferry for pk in ferry)
    assert all(top(pk) in grain for pk in grain)
