"""What a story puts in the search index, and what computing it costs."""

from unittest import mock

from modelsearch.conf import get_app_config
from wagtail.blocks import StreamBlock
from wagtail.search.backends import get_search_backend

from masthead.articles.factories import body_from_paragraphs
from masthead.articles.models import ArticlePage
from masthead.imports.tests.conftest import make_site
from masthead.operations.bulk import insert_pages
from masthead.search.fields import body_terms


def test_a_story_body_is_turned_into_text_once_per_indexing(db):
    news = make_site()[1]
    page = ArticlePage(
        title="Ferry timetable cut",
        slug="ferry",
        standfirst="Fewer crossings from Monday.",
        body=body_from_paragraphs(["The island ferries run less often.", "Residents object."]),
        live=True,
        has_unpublished_changes=False,
    )
    insert_pages(news, [page])
    page = ArticlePage.objects.get(pk=page.pk)
    original = StreamBlock.get_searchable_content
    with mock.patch.object(
        StreamBlock, "get_searchable_content", autospec=True, side_effect=original
    ) as searchable:
        get_search_backend().add(page)
    assert searchable.call_count == 1
    entry = (
        get_app_config()
        .get_model("IndexEntry")
        .objects.get(object_id=str(page.pk), content_type__model="articlepage")
    )
    # The folded, stemmed terms reach the index (SQLite keeps the text, PostgreSQL a tsvector).
    assert "resid" in body_terms(page).split()
    assert "resid" in str(entry.body)
