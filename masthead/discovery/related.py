"""Precompute related stories in the database when a story is published or withdrawn.

Publishing a story indexes its terms (updating document frequencies incrementally),
scores it against the stored postings of every other indexed story, stores its best
matches, and offers it to the lists of the stories it matched (``refresh_affected``).
Withdrawing a story removes it everywhere and recomputes the lists it was on.

Weights of older stories keep the document frequencies of the moment they were
indexed; ``manage.py rebuild_related`` recomputes everything from scratch.
"""

import logging
import re
from collections import defaultdict
from collections.abc import Callable

from django.db import transaction
from django.db.models import Case, F, FloatField, Sum, Value, When
from django.utils import timezone
from django.utils.html import strip_tags

from masthead.articles.models import ArticlePage, ArticleTopic
from masthead.operations.bulk import insert_rows

from . import similarity
from .models import ArticleIndexEntry, ArticleRelatedArticle, ArticleTerm, TermStatistic

logger = logging.getLogger(__name__)

# Stored per story: more than a block shows, so read-time filters still leave enough.
STORED = 12
# Candidates whose publication dates are loaded for the time decay.
CANDIDATES = 200
# Stories whose lists are recomputed when a story they point to is withdrawn.
REFRESH_LIMIT = 40
# update_many rebuilds everything when at least this many stories, and this share of
# the archive, arrive at once (see bench/discovery and docs/imports.md for the costs).
REBUILD_MIN = 50
REBUILD_SHARE = 0.05


# Markup strip_tags needs no HTML parser for: text without < > or stray &, entities,
# and tags whose attributes are double-quoted without < or > (what stored rich text is).
_SIMPLE_HTML = re.compile(
    r"(?:[^<>&]|&(?:[a-zA-Z][a-zA-Z0-9]*|#[0-9]+|#[xX][0-9a-fA-F]+);"
    r'|</?[a-z][a-z0-9]*(?:\s+[a-z][a-z-]*="[^"<>]*")*\s*/?>)*'
)
_TAGS = re.compile(r"<[^>]*>")


def html_text(html: str) -> str:
    """Return ``strip_tags(html)``: tags removed, entities left as they are.

    Simple markup (all of it, in rich text the editor or the importer stored) has its
    tags removed by one regular expression; anything else goes through strip_tags'
    HTML parser. Rebuilding the lists of thousands of stories parsed every paragraph.
    """
    if _SIMPLE_HTML.fullmatch(html):
        return _TAGS.sub("", html)
    return strip_tags(html)


def _block_text(block_type: str, value) -> str:
    """Return the text of one body block from its stored value.

    Stored values, not block objects: turning a body into blocks looks up its images
    and builds rich text objects, which rebuilding thousands of lists did for nothing.
    """
    if block_type == "paragraph":
        return html_text(str(value))
    if block_type == "heading":
        return str(value)
    if block_type == "quote":
        return f"{value.get('quote', '')} {value.get('attribution', '')}"
    if block_type == "image":
        return str(value.get("caption", "") or "")
    return ""


def _body_text(body) -> str:
    """Return the text of a stored body (a StreamValue) for the similarity."""
    return " ".join(_block_text(block["type"], block["value"]) for block in body.raw_data)


def story_text(page: ArticlePage) -> similarity.StoryText:
    """Return the text the similarity uses for ``page``."""
    section = page.section
    return similarity.StoryText(
        key=page.pk,
        headline=page.title,
        standfirst=page.standfirst,
        body=_body_text(page.body),
        topics=[topic.slug for topic in page.topics],
        section=section.slug if section else "",
        published_at=page.first_published_at,
    )


def is_eligible(page_id: int) -> bool:
    """Return whether a story may appear as related: published and public."""
    return ArticlePage.objects.live().public().filter(pk=page_id).exists()


def _adjust_frequencies(old: set[str], new: set[str]) -> None:
    removed, added = old - new, new - old
    if removed:
        TermStatistic.objects.filter(term__in=removed).update(documents=F("documents") - 1)
    if added:
        TermStatistic.objects.bulk_create(
            [TermStatistic(term=term, documents=0) for term in added], ignore_conflicts=True
        )
        TermStatistic.objects.filter(term__in=added).update(documents=F("documents") + 1)


def index_article(page: ArticlePage) -> dict[str, float]:
    """Store the terms and postings of ``page``; return its weighted vector."""
    counts = similarity.story_terms(story_text(page))
    entry = ArticleIndexEntry.objects.filter(pk=page.pk).first()
    old_terms = set(entry.terms) if entry else set()
    _adjust_frequencies(old_terms, set(counts))
    ArticleIndexEntry.objects.update_or_create(
        article_id=page.pk,
        defaults={"terms": sorted(counts), "published_at": page.first_published_at},
    )
    total = ArticleIndexEntry.objects.count()
    frequencies = dict(
        TermStatistic.objects.filter(term__in=list(counts)).values_list("term", "documents")
    )
    vector = similarity.weigh(counts, frequencies, total)
    ArticleTerm.objects.filter(article_id=page.pk).delete()
    ArticleTerm.objects.bulk_create(
        [ArticleTerm(article_id=page.pk, term=term, weight=w) for term, w in vector.items()]
    )
    return vector


def _stored_vector(article_id: int) -> dict[str, float]:
    return dict(ArticleTerm.objects.filter(article_id=article_id).values_list("term", "weight"))


def score_related(article_id: int, vector: dict[str, float] | None = None) -> list[tuple]:
    """Return the best ``(story_id, score)`` for a story from the stored postings.

    The database sums the products of the story's strongest terms with every posting
    of those terms, so only the best candidates travel back to Python.
    """
    if vector is None:
        vector = _stored_vector(article_id)
    query = similarity.query_terms(vector)
    if not query:
        return []
    weight = Case(
        *[When(term=term, then=Value(w)) for term, w in query.items()],
        default=Value(0.0),
        output_field=FloatField(),
    )
    best = list(
        ArticleTerm.objects.filter(term__in=list(query))
        .exclude(article_id=article_id)
        .values("article_id")
        .annotate(score=Sum(F("weight") * weight))
        .order_by("-score", "article_id")
        .values_list("article_id", "score")[:CANDIDATES]
    )
    ids = [key for key, _ in best] + [article_id]
    published = dict(
        ArticleIndexEntry.objects.filter(pk__in=ids).values_list("article_id", "published_at")
    )
    at = published.pop(article_id, None)
    kept = {key: score for key, score in best if key in published}
    return similarity.rank(kept, published, at, STORED)


def _store(article_id: int, ranked: list[tuple]) -> None:
    ArticleRelatedArticle.objects.filter(article_id=article_id).delete()
    ArticleRelatedArticle.objects.bulk_create(
        [
            ArticleRelatedArticle(article_id=article_id, related_id=key, score=score)
            for key, score in ranked
        ]
    )


def refresh_affected(article_id: int, ranked: list[tuple]) -> list[int]:
    """Offer ``article_id`` to the lists of the stories it matched; return those changed.

    Similarity is symmetric, so a story that scores high against the new one keeps it
    when the score beats the weakest entry of its list (or its list is not full).
    """
    others = dict(ranked)
    if not others:
        return []
    lists: dict[int, list[tuple[int, float]]] = defaultdict(list)
    for owner, related, score in ArticleRelatedArticle.objects.filter(
        article_id__in=list(others)
    ).values_list("article_id", "related_id", "score"):
        if related != article_id:
            lists[owner].append((related, score))
    changed, new_rows, dropped = [], [], []
    for owner, score in others.items():
        entries = sorted(lists[owner], key=lambda item: -item[1])
        if len(entries) >= STORED and entries[STORED - 1][1] >= score:
            continue
        entries.append((article_id, score))
        entries.sort(key=lambda item: -item[1])
        dropped += [(owner, related) for related, _ in entries[STORED:]]
        new_rows.append(ArticleRelatedArticle(article_id=owner, related_id=article_id, score=score))
        changed.append(owner)
    ArticleRelatedArticle.objects.filter(article_id__in=changed, related_id=article_id).delete()
    for owner, related in dropped:
        ArticleRelatedArticle.objects.filter(article_id=owner, related_id=related).delete()
    ArticleRelatedArticle.objects.bulk_create(new_rows)
    return changed


def remove_article(article_id: int) -> list[int]:
    """Take a story out of the index and every list; recompute the lists it was on."""
    with transaction.atomic():
        entry = ArticleIndexEntry.objects.filter(pk=article_id).first()
        if entry is not None:
            _adjust_frequencies(set(entry.terms), set())
            entry.delete()
        ArticleTerm.objects.filter(article_id=article_id).delete()
        pointing = list(
            ArticleRelatedArticle.objects.filter(related_id=article_id)
            .order_by("-score")
            .values_list("article_id", flat=True)[:REFRESH_LIMIT]
        )
        ArticleRelatedArticle.objects.filter(related_id=article_id).delete()
        ArticleRelatedArticle.objects.filter(article_id=article_id).delete()
        for owner in pointing:
            _store(owner, score_related(owner))
    return pointing


def update_for(page: ArticlePage) -> list[tuple]:
    """Recompute the related list of ``page`` after a publish; withdraw it if not eligible."""
    page = ArticlePage.objects.get(pk=page.pk)  # the live version, not an unsaved revision
    if not is_eligible(page.pk):
        remove_article(page.pk)
        return []
    with transaction.atomic():
        vector = index_article(page)
        ranked = score_related(page.pk, vector)
        _store(page.pk, ranked)
        refresh_affected(page.pk, ranked)
    return ranked


def update_many(page_ids: list[int], progress: Callable[[int, int], None] | None = None) -> str:
    """Bring the related lists up to date after many stories were published at once.

    Updating story by story costs a postings lookup each; past ``REBUILD_SHARE`` of
    the archive, rebuilding everything from scratch (``rebuild_all``) is cheaper.
    Return which was done: ``"rebuilt"`` or ``"updated"``.
    """
    ids = list(dict.fromkeys(page_ids))
    indexed = ArticleIndexEntry.objects.count()
    if len(ids) >= REBUILD_MIN and len(ids) >= REBUILD_SHARE * (indexed + len(ids)):
        rebuild_all(progress)
        return "rebuilt"
    pages = ArticlePage.objects.in_bulk(ids)
    for number, pk in enumerate(ids, 1):
        if pk in pages:
            update_for(pages[pk])
        if progress:
            progress(number, len(ids))
    return "updated"


def store_index(index: "similarity.MemoryIndex", stories: list) -> None:
    """Write an in-memory index (term statistics, entries and postings) to the database.

    Plain rows through ``insert_rows``: tens of thousands of stories have sixty
    postings each, and a model instance per posting cost more than the inserts.
    """
    insert_rows(TermStatistic, ["term", "documents"], index.frequencies.items())
    now = timezone.now()
    insert_rows(
        ArticleIndexEntry,
        ["article", "terms", "published_at", "indexed_at"],
        ((s.key, sorted(index.counts[s.key]), s.published_at, now) for s in stories),
        batch=1000,
    )
    insert_rows(
        ArticleTerm,
        ["article", "term", "weight"],
        (
            (key, term, weight)
            for key, vector in index.vectors.items()
            for term, weight in vector.items()
        ),
    )


def rebuild_all(progress: Callable[[int, int], None] | None = None) -> int:
    """Recompute the whole index and every list from current frequencies; return the count.

    ``progress(done, total)`` is called while the stories are read, then again while
    their lists are computed.
    """
    from masthead.sections.models import SectionPage

    # Plain rows, not page objects: the fields story_text reads, the topics and the
    # sections in one query each.
    rows = list(
        ArticlePage.objects.live()
        .public()
        .order_by("pk")
        .values_list("pk", "title", "standfirst", "body", "path", "first_published_at")
    )
    topics: dict[int, list[str]] = defaultdict(list)
    for page_id, slug in ArticleTopic.objects.order_by("sort_order", "pk").values_list(
        "page_id", "topic__slug"
    ):
        topics[page_id].append(slug)
    sections = dict(SectionPage.objects.values_list("path", "slug"))
    steplen = ArticlePage.steplen
    stories = []
    for number, (pk, title, standfirst, body, path, published_at) in enumerate(rows, 1):
        stories.append(
            similarity.StoryText(
                key=pk,
                headline=title,
                standfirst=standfirst,
                body=_body_text(body),
                topics=topics.get(pk, []),
                section=sections.get(path[:-steplen], ""),
                published_at=published_at,
            )
        )
        if progress and (number % 200 == 0 or number == len(rows)):
            progress(number, len(rows))
    index = similarity.MemoryIndex(stories)
    rows = []
    for number, story in enumerate(stories, 1):
        rows += [(story.key, other, score) for other, score in index.related(story.key, STORED)]
        if progress and (number % 200 == 0 or number == len(stories)):
            progress(number, len(stories))
    with transaction.atomic():
        ArticleRelatedArticle.objects.all().delete()
        ArticleTerm.objects.all().delete()
        ArticleIndexEntry.objects.all().delete()
        TermStatistic.objects.all().delete()
        store_index(index, stories)
        insert_rows(ArticleRelatedArticle, ["article", "related", "score"], rows)
    from masthead.core import changes

    changes.bump(changes.STORIES)  # cached related lists (discovery.services)
    return len(stories)
