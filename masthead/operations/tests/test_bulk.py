"""The shared bulk page builder: a valid tree, child rows, revisions and history."""

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from wagtail.models import Page, PageLogEntry, ReferenceIndex, Revision
from wagtail.rich_text import RichText
from wagtail.signal_handlers import disable_reference_index_auto_update

from masthead.articles.factories import ArticlePageFactory, body_from_paragraphs
from masthead.articles.models import ArticleAuthor, ArticlePage, ArticleTopic
from masthead.images.factories import MastheadImageFactory
from masthead.imports.tests.conftest import make_site
from masthead.operations.bulk import child_relation_names, index_references, insert_pages
from masthead.people.factories import AuthorFactory
from masthead.sections.factories import TopicFactory
from masthead.sections.models import SectionPage


def story(slug: str, *, live: bool = True, **fields) -> ArticlePage:
    return ArticlePage(
        title=f"Harbour council votes on {slug}",
        slug=slug,
        standfirst="The vote decides the winter timetable.",
        body=body_from_paragraphs(["The council met on Monday evening."]),
        live=live,
        has_unpublished_changes=not live,
        **fields,
    )


@pytest.fixture
def news(db):
    return make_site()[1]


def test_pages_join_the_tree_after_existing_children_and_the_tree_stays_valid(news):
    first = ArticlePageFactory(parent=news, slug="made-by-wagtail")
    pages = insert_pages(news, [story(f"bulk-{n}") for n in range(5)])
    later = ArticlePageFactory(parent=SectionPage.objects.get(pk=news.pk), slug="after-bulk")
    assert not any(Page.find_problems())
    children = list(Page.objects.child_of(news).order_by("path").values_list("slug", flat=True))
    assert children == ["made-by-wagtail", *[f"bulk-{n}" for n in range(5)], "after-bulk"]
    assert SectionPage.objects.get(pk=news.pk).numchild == 7
    page = ArticlePage.objects.get(pk=pages[2].pk)
    assert page.url_path == f"{news.url_path}bulk-2/"
    assert page.locale_id == news.locale_id and page.draft_title == page.title
    assert page.body[0].value.source == "<p>The council met on Monday evening.</p>"
    assert first.get_next_sibling().pk == pages[0].pk and later.pk


def test_child_rows_revisions_and_history_are_written(news):
    author, topic = AuthorFactory(), TopicFactory()
    live, draft = story("live-story"), story("draft-story", live=False)
    for page in (live, draft):
        page.article_authors = [ArticleAuthor(author=author, sort_order=0)]
        page.article_topics = [ArticleTopic(topic=topic, sort_order=0)]
    insert_pages(news, [live, draft], revisions=True, log=True)

    live, draft = (
        ArticlePage.objects.get(slug="live-story"),
        ArticlePage.objects.get(slug="draft-story"),
    )
    assert live.authors == [author] and draft.topics == [topic]
    assert live.live_revision_id == live.latest_revision_id is not None
    assert draft.live_revision_id is None and draft.latest_revision_id is not None
    assert Revision.page_revisions.filter(object_id=str(live.pk)).count() == 1
    # The revision is what the editor opens: it must hold the bylines and topics.
    restored = live.latest_revision.as_object()
    assert restored.title == live.title and [
        a.author_id for a in restored.article_authors.all()
    ] == [author.pk]
    actions = set(PageLogEntry.objects.filter(page=live).values_list("action", flat=True))
    assert actions == {"wagtail.create", "wagtail.publish"}
    assert set(PageLogEntry.objects.filter(page=draft).values_list("action", flat=True)) == {
        "wagtail.create"
    }


def test_only_one_direct_page_type_at_a_time(news):
    with pytest.raises(TypeError):
        insert_pages(news, [story("a"), SectionPage(title="Mixed", slug="mixed")])
    with pytest.raises(TypeError):
        insert_pages(news, [Page(title="Plain", slug="plain")])
    assert insert_pages(news, []) == []
    assert not ArticlePage.objects.exists()


def _reference_rows(pages) -> set:
    return set(
        ReferenceIndex.objects.filter(object_id__in=[str(p.pk) for p in pages]).values_list(
            "content_type_id",
            "base_content_type_id",
            "object_id",
            "to_content_type_id",
            "to_object_id",
            "model_path",
            "content_path",
            "content_path_hash",
        )
    )


def test_references_are_indexed_in_bulk_as_wagtail_indexes_them_one_by_one(news):
    author, topic, image = AuthorFactory(), TopicFactory(), MastheadImageFactory()
    pages = []
    for n in range(4):
        page = story(f"refs-{n}", lead_image=image if n % 2 else None)
        page.body = [
            (
                "paragraph",
                RichText(f'<p>See <a linktype="page" id="{news.pk}">the section</a>.</p>'),
            ),
            ("image", {"image": image, "caption": "Harbour at dawn", "credit": "Ours"}),
        ]
        page.article_authors = [ArticleAuthor(author=author, sort_order=0)]
        page.article_topics = [ArticleTopic(topic=topic, sort_order=0)]
        pages.append(page)
    with disable_reference_index_auto_update():
        insert_pages(news, pages)
    ReferenceIndex.objects.all().delete()

    def loaded():
        return list(
            ArticlePage.objects.filter(pk__in=[p.pk for p in pages]).prefetch_related(
                *child_relation_names(ArticlePage)
            )
        )

    with transaction.atomic():
        for page in ArticlePage.objects.filter(pk__in=[p.pk for p in pages]):
            ReferenceIndex.create_or_update_for_object(page)
    by_wagtail = _reference_rows(pages)
    # Per page: the link, the image block, the byline and the topic; half have a lead image.
    assert len(by_wagtail) == 4 * 4 + 2
    ReferenceIndex.objects.all().delete()
    batch = loaded()
    for page in batch:  # the body's images are read once per page, as the search index does
        list(page.body)
    with CaptureQueriesContext(connection) as queries, transaction.atomic():
        written = index_references(batch)
    assert _reference_rows(pages) == by_wagtail and written == len(by_wagtail)
    # A delete and an insert for the lot (plus the transaction), not queries per page.
    assert len(queries) <= 5, [q["sql"][:120] for q in queries.captured_queries]
    # Run again, it replaces what is there instead of adding to it.
    with transaction.atomic():
        index_references(loaded())
    assert _reference_rows(pages) == by_wagtail
