"""Reader search over published stories, ranked in the database.

The index is Wagtail's database search backend (``modelsearch_indexentry``, plus its
FTS5 table on SQLite), kept up to date by Wagtail's own signal handlers on every save,
publish and unpublish. The ranking query is written here rather than through
``ArticlePage.objects.search()`` for three reasons, each checked against the backend
source: the SQLite backend ignores field boosts (every non-title field is one column),
it has no stemming (FTS5's default tokenizer), and it orders by a correlated
sub-query per matching row, which does not stay fast at 100,000 stories.

Ranking: headline and standfirst matches weigh ``TITLE_WEIGHT`` times body matches
(BM25 on SQLite, ``ts_rank`` on PostgreSQL); stories that use the query's words side by
side, as a phrase, score ``PHRASE_BOOST`` times more; a recency factor of at most
``RECENCY_BOOST`` (5%) lets the newer of two near-equal stories win, and exact ties go
to the newer story.
"""

import datetime as dt
from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.models import Prefetch
from django.db.models.expressions import RawSQL
from django.utils import timezone
from modelsearch.conf import get_app_config

from masthead.articles.models import ArticleAuthor, ArticlePage
from masthead.sections.listing import attach_sections

from . import suggest
from .query import MAX_QUERY_CHARS, ParsedQuery, parse

__all__ = ["MAX_QUERY_CHARS", "Filters", "SearchResults", "search"]
from .snippets import snippet_html

PAGE_SIZE = 10
MAX_PAGE = 100
MAX_COUNT = PAGE_SIZE * MAX_PAGE
TITLE_WEIGHT = 4.0
RECENCY_BOOST = 0.05
PHRASE_BOOST = 1.5
RECENCY_DAYS = 365.0
SORTS = ("relevance", "date")


@dataclass
class Filters:
    """Optional restrictions chosen by the reader; slugs and dates already validated."""

    section: str = ""
    topic: str = ""
    author: str = ""
    date_from: dt.date | None = None
    date_to: dt.date | None = None

    def __bool__(self) -> bool:
        return bool(self.section or self.topic or self.author or self.date_from or self.date_to)


@dataclass
class SearchResults:
    query: str
    parsed: ParsedQuery
    hits: list = field(default_factory=list)
    total: int = 0
    page: int = 1
    sort: str = "relevance"
    suggestion: str | None = None
    corrected_from: str | None = None

    @property
    def total_is_capped(self) -> bool:
        return self.total > MAX_COUNT

    @property
    def num_pages(self) -> int:
        return min(MAX_PAGE, max(1, -(-self.total // PAGE_SIZE)))


def allowed_stories(filters: Filters):
    """Return the published, public stories that the filters allow."""
    stories = ArticlePage.objects.live().public()
    if filters.section:
        from masthead.sections.models import SectionPage

        section = SectionPage.objects.live().public().filter(slug=filters.section).first()
        if section is None:
            return stories.none()
        stories = stories.child_of(section)
    if filters.topic:
        stories = stories.filter(article_topics__topic__slug=filters.topic)
    if filters.author:
        stories = stories.filter(article_authors__author__slug=filters.author)
    if filters.date_from:
        start = dt.datetime.combine(filters.date_from, dt.time.min, tzinfo=dt.UTC)
        stories = stories.filter(first_published_at__gte=start)
    if filters.date_to:
        end = dt.datetime.combine(
            filters.date_to + dt.timedelta(days=1), dt.time.min, tzinfo=dt.UTC
        )
        stories = stories.filter(first_published_at__lt=end)
    return stories


def _index_tables() -> tuple[str, str]:
    """Return the tables of Wagtail's index entries and of their SQLite FTS5 mirror."""
    entries = get_app_config().get_model("IndexEntry")._meta.db_table
    return entries, f"{entries}_fts"


def _hits_sql(parsed: ParsedQuery, ranked: bool = True) -> tuple[str, list]:
    """Return SQL selecting (pk, rel) for matching index entries, higher rel better.

    With ``ranked=False`` only ``pk`` is selected, which is all a count needs. Table
    names come from the models; every value, the query text included, is a parameter.
    FTS5 is joined first (CROSS JOIN fixes the order): otherwise SQLite may run the
    full-text match once per index entry.
    """
    content_type = ContentType.objects.get_for_model(ArticlePage).pk
    entries, fts = _index_tables()
    if connection.vendor == "postgresql" and not ranked:
        sql = (
            "SELECT CAST(e.object_id AS INTEGER) AS pk "  # noqa: S608
            f"FROM {entries} e, to_tsquery('english', %s) q "
            "WHERE e.content_type_id = %s AND (e.title @@ q OR e.body @@ q)"
        )
        return sql, [parsed.tsquery(), content_type]
    if connection.vendor == "postgresql":
        sql = (
            "SELECT CAST(e.object_id AS INTEGER) AS pk, "  # noqa: S608
            "(ts_rank('{1,1,1,1}', e.title, q) * %s + ts_rank('{1,1,1,1}', e.body, q, 1)) "
            "* (CASE WHEN e.title @@ near OR e.body @@ near THEN %s ELSE 1.0 END) AS rel "
            f"FROM {entries} e, to_tsquery('english', %s) q, to_tsquery('english', %s) near "
            "WHERE e.content_type_id = %s AND (e.title @@ q OR e.body @@ q)"
        )
        near = parsed.proximity() or parsed
        return sql, [TITLE_WEIGHT, PHRASE_BOOST, parsed.tsquery(), near.tsquery(), content_type]
    if not ranked:
        sql = (
            f"SELECT CAST(e.object_id AS INTEGER) AS pk FROM {fts} "  # noqa: S608
            f"CROSS JOIN {entries} e ON e.id = {fts}.rowid "
            f"WHERE {fts} MATCH %s AND e.content_type_id = %s"
        )
        return sql, [parsed.fts5(), content_type]
    # FTS5 columns are (autocomplete, body, title); bm25() is negative, lower is better.
    sql = (
        "SELECT CAST(e.object_id AS INTEGER) AS pk, "  # noqa: S608
        f"-bm25({fts}, 0.0, 1.0, %s) AS rel "
        f"FROM {fts} CROSS JOIN {entries} e ON e.id = {fts}.rowid "
        f"WHERE {fts} MATCH %s AND e.content_type_id = %s"
    )
    params = [TITLE_WEIGHT, parsed.fts5(), content_type]
    near = parsed.proximity()
    if near is not None:
        sql = (
            f"SELECT hit0.pk, hit0.rel * (CASE WHEN hit0.pk IN (SELECT CAST(e.object_id AS INTEGER) "  # noqa: S608
            f"FROM {fts} CROSS JOIN {entries} e ON e.id = {fts}.rowid WHERE {fts} MATCH %s) "
            f"THEN %s ELSE 1.0 END) AS rel FROM ({sql}) hit0"
        )
        params = [near.fts5(), PHRASE_BOOST, *params]
    return sql, params


def _age_days_sql(now: dt.datetime) -> tuple[str, list]:
    if connection.vendor == "postgresql":
        return "(EXTRACT(EPOCH FROM (%s - p.first_published_at)) / 86400.0)", [now]
    naive = now.astimezone(dt.UTC).replace(tzinfo=None).isoformat(sep=" ")
    return "(julianday(%s) - julianday(p.first_published_at))", [naive]


def ranked_ids(
    parsed: ParsedQuery, filters: Filters, sort: str, offset: int, limit: int, now: dt.datetime
) -> tuple[list[int], int]:
    """Return one page of matching story ids in order, and the number of matches.

    Counting stops past ``MAX_COUNT``: readers page through at most ``MAX_PAGE`` pages,
    and counting every match of a common word costs as much as ranking it.
    """
    hits_sql, hits_params = _hits_sql(parsed)
    # Correlated on each hit, so the check costs one primary-key lookup per match rather
    # than listing every published story (100,000 rows) on every query.
    allowed = allowed_stories(filters).filter(pk=RawSQL("hit.pk", ())).values("pk")
    allowed_sql, allowed_params = allowed.query.sql_with_params()
    base = (
        f"FROM ({hits_sql}) hit JOIN wagtailcore_page p ON p.id = hit.pk "
        f"WHERE EXISTS ({allowed_sql})"
    )
    params = [*hits_params, *allowed_params]
    if sort == "date":
        order, order_params = "p.first_published_at DESC, p.id DESC", []
    else:
        age_sql, order_params = _age_days_sql(now)
        order = (
            f"hit.rel * (1.0 + {RECENCY_BOOST} / (1.0 + {age_sql} / {RECENCY_DAYS})) DESC, "
            "p.first_published_at DESC, p.id DESC"
        )
    match_sql, match_params = _hits_sql(parsed, ranked=False)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT COUNT(*) FROM (SELECT 1 FROM ({match_sql}) hit "  # noqa: S608
            f"WHERE EXISTS ({allowed_sql}) LIMIT %s) counted",
            [*match_params, *allowed_params, MAX_COUNT + 1],
        )
        total = cursor.fetchone()[0]
        if total == 0 or offset >= total:
            return [], total
        cursor.execute(
            f"SELECT hit.pk {base} ORDER BY {order} LIMIT %s OFFSET %s",
            [*params, *order_params, limit, offset],
        )
        ids = [row[0] for row in cursor.fetchall()]
    return ids, total


def _load(ids: list[int], parsed: ParsedQuery) -> list:
    """Return the stories for ``ids`` in that order, each with a highlighted ``snippet``."""
    stories = ArticlePage.objects.filter(pk__in=ids).prefetch_related(
        Prefetch(
            "article_authors",
            queryset=ArticleAuthor.objects.select_related("author").order_by("sort_order"),
        )
    )
    by_pk = {story.pk: story for story in stories}
    ordered = [by_pk[pk] for pk in ids if pk in by_pk]
    terms = parsed.all_terms
    for story in ordered:
        story.snippet = snippet_html(story.standfirst, story.body, terms)
    return attach_sections(ordered)


def search(
    raw_query: str,
    filters: Filters | None = None,
    *,
    sort: str = "relevance",
    page: int = 1,
    now: dt.datetime | None = None,
) -> SearchResults:
    """Return one page of published, public stories matching ``raw_query``.

    An empty query with filters lists the filtered stories newest first; an empty query
    without filters returns no results. When nothing matches and the query looks
    misspelt, the corrected query is searched instead and ``corrected_from`` is set.
    """
    filters = filters or Filters()
    sort = sort if sort in SORTS else "relevance"
    page = min(max(1, page), MAX_PAGE)
    now = now or timezone.now()
    parsed = parse(raw_query)
    results = SearchResults(query=raw_query, parsed=parsed, page=page, sort=sort)
    offset = (page - 1) * PAGE_SIZE

    if not parsed:
        if filters:
            stories = ArticlePage.objects.teasers().filter(
                pk__in=allowed_stories(filters).values("pk")
            )
            results.total = stories.count()
            ids = list(stories.values_list("pk", flat=True)[offset : offset + PAGE_SIZE])
            results.hits = _load(ids, parsed)
        return results

    ids, total = ranked_ids(parsed, filters, sort, offset, PAGE_SIZE, now)
    suggestion = suggest.suggest(raw_query)
    if total == 0 and suggestion:
        corrected = parse(suggestion)
        ids, total = ranked_ids(corrected, filters, sort, offset, PAGE_SIZE, now)
        if total:
            results.corrected_from = raw_query
            results.query = suggestion
            results.parsed = parsed = corrected
            suggestion = None
    results.suggestion = suggestion
    results.total = total
    results.hits = _load(ids, parsed)
    return results
