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


def test_story_text_reads_the_stored_body_as_the_blocks_say_it(db):
    """story_text reads stored block values; the text is what the block objects give."""
    from django.utils.html import strip_tags
    from wagtail.rich_text import RichText

    from masthead.images.factories import MastheadImageFactory

    news = make_site()[1]
    image = MastheadImageFactory()
    page = ArticlePage(
        title="Varsk crossing reopens",
        slug="varsk",
        standfirst="Ferries run again.",
        body=[
            ("paragraph", RichText("<p>The <b>harbour</b> master&#x27;s office &amp; crews.</p>")),
            ("heading", "What happens next"),
            ("quote", {"quote": "We are ready.", "attribution": "Mira Tosel", "role": "Mayor"}),
            ("image", {"image": image, "caption": "The quay at dawn", "credit": "Ours"}),
            ("image", {"image": image, "caption": "", "credit": ""}),
        ],
        live=True,
        has_unpublished_changes=False,
    )
    insert_pages(news, [page])
    page = ArticlePage.objects.get(pk=page.pk)

    def from_blocks(block) -> str:
        value = block.value
        if block.block_type == "paragraph":
            return strip_tags(value.source)
        if block.block_type == "heading":
            return str(value)
        if block.block_type == "quote":
            return f"{value.get('quote', '')} {value.get('attribution', '')}"
        return str(value.get("caption", "") or "")

    expected = " ".join(from_blocks(block) for block in page.body)
    assert related.story_text(page).body == expected
    assert "harbour" in expected and "Mira Tosel" in expected and "quay" in expected
