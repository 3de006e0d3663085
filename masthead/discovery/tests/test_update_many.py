"""Related lists after many stories are published at once (a bulk import)."""

from unittest import mock

import pytest

from masthead.articles.factories import body_from_paragraphs
from masthead.articles.models import ArticlePage
from masthead.discovery import related
from masthead.discovery.models import ArticleIndexEntry, ArticleRelatedArticle
from masthead.imports.tests.conftest import make_site
from masthead.operations.bulk import insert_pages

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


def test_rebuild_reads_every_story_as_story_text_does(stories):
    """rebuild_all reads plain rows, not pages: the text must be what story_text gives."""
    from masthead.discovery import similarity

    seen = []
    real = similarity.MemoryIndex

    def capture(texts):
        texts = list(texts)
        seen.extend(texts)
        return real(texts)

    first = ArticlePage.objects.get(pk=stories[0])
    first.body = [
        {"type": "paragraph", "value": "<p>A <i>b</i> &amp; c</p>"},
        {"type": "paragraph", "value": "<p>Stray & <!-- c --> d</p>"},
        {"type": "heading", "value": "Ferry"},
    ]
    first.save()
    from masthead.articles.models import ArticleTopic
    from masthead.sections.models import Topic

    ferries, islands = Topic.objects.create(name="Ferries"), Topic.objects.create(name="Islands")
    for page_id, topic, order in ((stories[0], islands, 1), (stories[0], ferries, 0)):
        ArticleTopic.objects.create(page_id=page_id, topic=topic, sort_order=order)
    ArticleTopic.objects.create(page_id=stories[1], topic=ferries, sort_order=0)
    with mock.patch.object(similarity, "MemoryIndex", capture):
        related.rebuild_all()
    pages = ArticlePage.objects.filter(pk__in=stories).order_by("pk")
    assert seen == [related.story_text(page) for page in pages]
    assert len(seen) == 5 and all(text.section == "news" for text in seen)
    assert seen[0].topics == ["ferries", "islands"] and seen[1].topics == ["ferries"]


HTML_CASES = [
    "<p>The <b>harbour</b> master&#x27;s office &amp; crews &#39;x&#39; &#X41;.</p>",
    '<p><a href="https://e.org/?a=1&amp;b=2">link</a><br/> <a linktype="page" id="3">p</a></p>',
    "<ul><li>one</li><li>two <i>2</i></li></ul>",
    "plain text, no markup",
    "<p>a &amp b &#abc; &_x; & c</p>",  # stray ampersands: the parser path
    "<p>x > y and y < z</p>",
    "<p><!-- note --> <![CDATA[c]]> <!DOCTYPE html> <?pi x?> kept</p>",
    "<p title='single'>q</p><p data-x=\"a>b\">r</p>",
    "<p>unclosed <b",
]


def test_html_text_is_strip_tags():
    from django.utils.html import strip_tags

    for html in HTML_CASES:
        assert related.html_text(html) == strip_tags(html), html


def test_rebuild_stores_the_index_it_computed(stories):
    """Postings, entries and lists written as plain rows (COPY on PostgreSQL) read back whole."""
    from masthead.discovery import similarity
    from masthead.discovery.models import ArticleTerm, TermStatistic

    built = []
    real = similarity.MemoryIndex

    def capture(texts):
        built.append(real(texts))
        return built[-1]

    with mock.patch.object(similarity, "MemoryIndex", capture):
        related.rebuild_all()
    (index,) = built
    stored = {}
    for article_id, term, weight in ArticleTerm.objects.values_list("article_id", "term", "weight"):
        stored.setdefault(article_id, {})[term] = weight
    assert stored == index.vectors
    assert dict(TermStatistic.objects.values_list("term", "documents")) == index.frequencies
    for entry in ArticleIndexEntry.objects.all():
        assert entry.terms == sorted(index.counts[entry.pk])
        assert entry.published_at == index.stories[entry.pk].published_at
    assert ArticleRelatedArticle.objects.count() == sum(
        len(index.related(key, related.STORED)) for key in index.stories
    )
