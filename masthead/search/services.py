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
import time
from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.models.expressions import RawSQL
from django.utils import timezone
from modelsearch.conf import get_app_config
from wagtail.search.backends import get_search_backend

from masthead.articles.models import ArticleAuthor, ArticlePage
from masthead.core.restrictions import restricted_pages
from masthead.people.models import Author
from masthead.sections.listing import attach_sections

from . import suggest
from .query import MAX_QUERY_CHARS, ParsedQuery, parse

__all__ = ["MAX_QUERY_CHARS", "Filters", "SearchResults", "search"]
from .snippets import result_texts

PAGE_SIZE = 10
# Information pages listed after the stories: a newsroom has a handful of them.
PAGES_SHOWN = 5
MAX_PAGE = 100
MAX_COUNT = PAGE_SIZE * MAX_PAGE
TITLE_WEIGHT = 4.0
RECENCY_BOOST = 0.05
PHRASE_BOOST = 1.5
RECENCY_DAYS = 365.0
SORTS = ("relevance", "date")
# Above this many allowed matches only the newest are ranked (see ranked_ids).
RANK_ALL = MAX_COUNT
# The most matches a candidate walk reads (see _newest_candidates).
WALK_LIMIT = 10_000
NO_DATE_AGE = 1e9
# PostgreSQL reads this many newest matches before checking publication and filters.
PG_PREFETCH = WALK_LIMIT
# PostgreSQL first looks for enough matches among this many newest index entries.
PG_WINDOW = 20_000
# ... and sizes the next range from the window's match rate, with this margin.
PG_WIDEN_MARGIN = 1.25


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
    # True when a common word under a narrow filter was not followed to the end of
    # the archive: more than ``total`` stories may match.
    total_is_lower_bound: bool = False
    # Information pages (About, policies) that match, shown after the stories on the
    # first page of a search without filters (``matching_pages``).
    pages: list = field(default_factory=list)

    @property
    def total_is_capped(self) -> bool:
        return self.total > MAX_COUNT

    @property
    def num_pages(self) -> int:
        return min(MAX_PAGE, max(1, -(-self.total // PAGE_SIZE)))


def public_sections():
    """Return the published sections readers may see, in tree order.

    ``public()`` here is Masthead's (``core.restrictions.RestrictionAwarePageQuerySet``):
    it checks the per-request list of restricted pages, not Wagtail's restriction-to-page
    join, which SQLite answered by scanning every page (about 12 ms at 100,000 stories).
    """
    from masthead.sections.models import SectionPage

    return list(SectionPage.objects.live().public().order_by("path"))


def _section(slug: str):
    """Return the public section with ``slug``, or None."""
    return next((s for s in public_sections() if s.slug == slug), None)


def allowed_stories(filters: Filters):
    """Return the published, public stories that the filters allow."""
    stories = ArticlePage.objects.live().public()
    if filters.section:
        section = _section(filters.section)
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
    end = _end_of_day(filters.date_to)
    if end is not None:
        stories = stories.filter(first_published_at__lt=end)
    return stories


def _end_of_day(day: dt.date | None) -> dt.datetime | None:
    """Return the start of the day after ``day``; None when there is no bound.

    The last day of the calendar (9999-12-31, a reader's "to" at the edge) has no day
    after it: every story is before its end, so no bound is needed.
    """
    if day is None or day == dt.date.max:
        return None
    return dt.datetime.combine(day + dt.timedelta(days=1), dt.time.min, tzinfo=dt.UTC)


def _index_tables() -> tuple[str, str]:
    """Return the tables of Wagtail's index entries and of their SQLite FTS5 mirror."""
    entries = get_app_config().get_model("IndexEntry")._meta.db_table
    return entries, f"{entries}_fts"


def _article_type() -> int:
    return ContentType.objects.get_for_model(ArticlePage).pk


def _hits_sql(parsed: ParsedQuery, ranked: bool = True, model=None) -> tuple[str, list]:
    """Return SQL selecting (pk, rel) for matching index entries, higher rel better.

    The entries are the stories', or with ``model`` that model's (information pages).

    With ``ranked=False`` only ``pk`` is selected, which is all a count needs. Table names come from the models;
    every value, the query text included, is a parameter. FTS5 is joined first
    (CROSS JOIN fixes the order): otherwise SQLite may run the full-text match once per
    index entry.
    """
    content_type = _article_type() if model is None else ContentType.objects.get_for_model(model).pk
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


def _allowed_where(filters: Filters) -> tuple[str, list] | None:
    """Return an SQL condition on the story row ``p`` (``wagtailcore_page``) that holds for
    published, public stories within the filters; None when nothing can match.

    The same rules as ``allowed_stories``, written as plain conditions on the row a
    candidate walk has already read: a correlated sub-query per match (which is what
    ``allowed_stories`` becomes) costs more than the walk itself.
    """
    from masthead.articles.models import ArticleTopic
    from masthead.people.models import Author
    from masthead.sections.models import Topic

    parts, params = ["p.live"], []
    # Wagtail's public(): no view restriction on the story or any page above it.
    for page in restricted_pages():
        parts.append("p.path NOT LIKE %s")
        params.append(f"{page.path}%")
    if filters.section:
        section = _section(filters.section)
        if section is None:
            return None
        parts.append("p.path LIKE %s AND p.depth = %s")
        params += [f"{section.path}%", section.depth + 1]
    links = (
        (filters.topic, ArticleTopic, "topic_id", Topic),
        (filters.author, ArticleAuthor, "author_id", Author),
    )
    for slug, link, column, target in links:
        if slug:
            parts.append(
                f"p.id IN (SELECT l.page_id FROM {link._meta.db_table} l "  # noqa: S608
                f"JOIN {target._meta.db_table} t ON t.id = l.{column} WHERE t.slug = %s)"
            )
            params.append(slug)
    if filters.date_from:
        parts.append("p.first_published_at >= %s")
        params.append(dt.datetime.combine(filters.date_from, dt.time.min, tzinfo=dt.UTC))
    end = _end_of_day(filters.date_to)
    if end is not None:
        parts.append("p.first_published_at < %s")
        params.append(end)
    if connection.vendor == "sqlite":
        params = [_sqlite_datetime(v) if isinstance(v, dt.datetime) else v for v in params]
    return " AND ".join(parts), params


def _sqlite_datetime(value: dt.datetime) -> str:
    return connection.ops.adapt_datetimefield_value(value)


def _newest_candidates(
    parsed: ParsedQuery, filters: Filters, limit: int, now: dt.datetime
) -> tuple[list[tuple[int, int, float]], bool]:
    """Return (index entry id, story id, age in days) of the newest allowed matches.

    "Newest" is by index entry id: Wagtail creates a story's entry when the story is
    first saved and updates it in place afterwards, so entry ids follow the order in
    which stories were written. Both engines read matches in that order from the
    full-text index itself (FTS5 walks its doclist backwards; PostgreSQL walks the
    primary key) and stop after ``limit`` allowed stories, so a word found in most of
    the archive costs no more than a rare one. With a filter, only the newest
    ``WALK_LIMIT`` index entries are read: a narrow filter over a common word would
    otherwise read every match. The second value says whether that bound cut the walk
    short.
    """
    entries, fts = _index_tables()
    age_sql, age_params = _age_days_sql(now)
    allowed = _allowed_where(filters)
    if allowed is None:
        return [], False
    allowed_sql, allowed_params = allowed
    newest = None
    if filters or connection.vendor == "postgresql":
        # The newest id is one index lookup.
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT MAX(id) FROM {entries}")  # noqa: S608
            newest = cursor.fetchone()[0] or 0
    # With a filter, only the newest WALK_LIMIT index entries.
    bound = max(0, newest - WALK_LIMIT + 1) if filters else 0
    if connection.vendor == "postgresql":
        sql = (
            # The headline flag is read here, from the row in hand: as a separate
            # query PostgreSQL would rather scan the headline GIN index.
            # The newest matching entries first, without their pages: joining every
            # match of a mid-frequency word to its page before sorting costs more.
            f"SELECT m.id, p.id, {age_sql}, m.in_title FROM (SELECT e.id, e.object_id, "  # noqa: S608
            f"e.title @@ q AS in_title FROM {entries} e CROSS JOIN to_tsquery('english', %s) q "
            "WHERE e.content_type_id = %s AND (e.title @@ q OR e.body @@ q) AND e.id >= %s "
            "AND e.id <= %s ORDER BY e.id DESC LIMIT %s) m "
            "JOIN wagtailcore_page p ON p.id = CAST(m.object_id AS INTEGER) "
            f"WHERE {allowed_sql} ORDER BY m.id DESC LIMIT %s"
        )
        params = [*age_params, parsed.tsquery(), _article_type(), None, newest, PG_PREFETCH]
    else:
        sql = (
            f"SELECT e.id, p.id, {age_sql}, NULL FROM {fts} "  # noqa: S608
            f"CROSS JOIN {entries} e ON e.id = {fts}.rowid "
            "CROSS JOIN wagtailcore_page p ON p.id = CAST(e.object_id AS INTEGER) "
            f"WHERE {fts} MATCH %s AND {fts}.rowid >= %s AND e.content_type_id = %s "
            f"AND {allowed_sql} ORDER BY {fts}.rowid DESC LIMIT %s"
        )
        params = [*age_params, parsed.fts5(), None, _article_type()]
    at = params.index(None)

    def walk(lowest: int, highest: int | None = None, wanted: int = limit) -> list:
        params[at] = lowest
        if highest is not None:  # PostgreSQL only: entries up to ``highest``
            params[at + 1] = highest
            params[at + 2] = PG_PREFETCH - (limit - wanted)
        with connection.cursor() as cursor:
            cursor.execute(sql, [*params, *allowed_params, wanted])
            # A story without a first publication date (possible for rows made outside
            # the admin) gets no recency bonus and sorts last by date.
            return [
                (e, pk, NO_DATE_AGE if age is None else float(age), in_title)
                for e, pk, age, in_title in cursor.fetchall()
            ]

    if connection.vendor == "postgresql" and not filters and newest > PG_WINDOW:
        return _pg_widening_walk(parsed, walk, newest, limit), False
    rows = walk(bound)
    return rows, bound > 0 and len(rows) < limit


def _pg_widening_walk(parsed: ParsedQuery, walk, newest: int, limit: int) -> list:
    """PostgreSQL, no filter: the newest ``limit`` allowed matches, reading as few as it can.

    PostgreSQL reads every match the GIN indexes return (heap page by heap page) before
    sorting them by id; an id range lets it AND the GIN bitmap with the primary key's,
    so a name in thousands of stories reads only its newest ones. The walk starts with
    the newest ``PG_WINDOW`` entries, unless the column statistics say the query's
    rarest word cannot be in ``limit`` of them (``_pg_match_share``): then it reads the
    whole archive at once. When the window holds too few matches, the next range is
    sized from the window's own match rate (with a margin), and so on down to the
    oldest entry; each range starts where the last one stopped, so no match is read
    twice. The rows are the same as one walk of the whole archive would return.
    """
    share = _pg_match_share(parsed)
    if share is not None and share * PG_WINDOW < limit:
        return walk(0, newest)
    lowest = newest - PG_WINDOW + 1
    rows = walk(lowest, newest)
    while len(rows) < limit and lowest > 0:
        span = newest - lowest + 1
        if rows:
            step = int((limit - len(rows)) * span / len(rows) * PG_WIDEN_MARGIN)
            below = lowest - max(step, PG_WINDOW)
        else:
            below = 0
        # Close to the oldest entry: read the rest in one go.
        below = 0 if below < PG_WINDOW else below
        rows += walk(below, lowest - 1, limit - len(rows))
        lowest = below
    return rows


# Column statistics of the index table: (read at, {column: (share by lexeme, floor)}).
_pg_stats: dict[str, tuple[float, dict]] = {}
PG_STATS_SECONDS = 600.0


def _pg_match_share(parsed: ParsedQuery) -> float | None:
    """Return an upper estimate of the share of index entries matching ``parsed``
    (PostgreSQL), or None when the table has no statistics.

    Every word of a query is required, so a match has its rarest word in the headline
    column or in the body column: the share is at most the rarest word's share in one
    plus its share in the other. Shares come from ``pg_stats`` (the most common
    lexemes of each tsvector column, gathered by ANALYZE); a lexeme not listed there
    is rarer than the least common listed one, whose share is used. Read once per
    ``PG_STATS_SECONDS`` per process; the query's lexemes are computed by PostgreSQL's
    own parser (one parameterised statement).
    """
    entries, _ = _index_tables()
    key = f"{connection.alias}:{entries}"
    now = time.monotonic()
    cached = _pg_stats.get(key)
    if cached is None or now - cached[0] > PG_STATS_SECONDS:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT attname, most_common_elems::text::text[], most_common_elem_freqs "
                "FROM pg_stats WHERE schemaname = current_schema() AND tablename = %s "
                "AND attname IN ('title', 'body')",
                [entries],
            )
            columns = {}
            for column, lexemes, shares in cursor.fetchall():
                # After the per-lexeme shares (lexemes in alphabetical order): the
                # smallest and the largest of them (and for arrays, the null share).
                if lexemes and shares and len(shares) - len(lexemes) in (2, 3):
                    floor = shares[len(lexemes)]
                    columns[column] = (dict(zip(lexemes, shares, strict=False)), floor)
        cached = _pg_stats[key] = (now, columns)
    columns = cached[1]
    if set(columns) != {"title", "body"}:
        return None
    words = " ".join(sorted(parsed.all_terms))
    with connection.cursor() as cursor:
        cursor.execute("SELECT tsvector_to_array(to_tsvector('english', %s))", [words])
        lexemes = cursor.fetchone()[0] or []
    if not lexemes:
        return 0.0
    return sum(min(shares.get(x, floor) for x in lexemes) for shares, floor in columns.values())


def _matching_entries(parsed: ParsedQuery, entry_ids: list[int], *, title_only: bool) -> set:
    """Return which of ``entry_ids`` match ``parsed`` (in the headline column only, if asked)."""
    if not entry_ids:
        return set()
    entries, fts = _index_tables()
    if connection.vendor == "postgresql":
        where = "e.title @@ q" if title_only else "(e.title @@ q OR e.body @@ q)"
        # Read the entries by primary key first (a materialised CTE fences the planner):
        # otherwise PostgreSQL may scan the GIN indexes for every match of the words
        # (hundreds of milliseconds for a name in thousands of stories) and then keep
        # only these ids.
        sql = (
            f"WITH e AS MATERIALIZED (SELECT id, title, body FROM {entries} "  # noqa: S608
            "WHERE id = ANY(%s)) "
            f"SELECT e.id FROM e, to_tsquery('english', %s) q WHERE {where}"
        )
        params = [list(entry_ids), parsed.tsquery()]
    else:
        expression = parsed.fts5()
        if title_only:
            expression = expression.replace("{title body}", "{title}", 1)
        # A rowid range lets FTS5 seek instead of reading a common word's whole doclist.
        sql = f"SELECT rowid FROM {fts} WHERE {fts} MATCH %s AND rowid >= %s AND rowid <= %s"  # noqa: S608
        params = [expression, min(entry_ids), max(entry_ids)]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return {row[0] for row in cursor.fetchall()} & set(entry_ids)


def _rank_candidates(parsed: ParsedQuery, rows: list, sort: str) -> list[int]:
    """Return the story ids of the newest matches (``_newest_candidates``), best first.

    Used when a query matches more than ``RANK_ALL`` stories: a full-text score for
    every match (BM25 needs each word's document count, which means reading its whole
    doclist) costs too much. The candidates are ordered by what the full ranking
    rewards most: a match in the headline or standfirst (``TITLE_WEIGHT``), the
    query's words side by side (``PHRASE_BOOST``), and then recency.
    """
    rows = list(rows)
    if sort == "date":
        rows.sort(key=lambda row: (row[2], -row[1]))
        return [row[1] for row in rows]
    entry_ids = [row[0] for row in rows]
    if rows and rows[0][3] is not None:
        in_title = {row[0] for row in rows if row[3]}
    else:
        in_title = _matching_entries(parsed, entry_ids, title_only=True)
    near = parsed.proximity()
    side_by_side = _matching_entries(near, entry_ids, title_only=False) if near else set()

    def score(row: tuple) -> tuple[float, float, int]:
        entry, pk, age, _ = row
        rel = (TITLE_WEIGHT if entry in in_title else 1.0) * (
            PHRASE_BOOST if entry in side_by_side else 1.0
        )
        rel *= 1.0 + RECENCY_BOOST / (1.0 + max(age, 0.0) / RECENCY_DAYS)
        return (-rel, age, -pk)

    rows.sort(key=score)
    return [row[1] for row in rows]


def _scores(parsed: ParsedQuery, entry_ids: list[int]) -> dict[int, float]:
    """Return index entry id -> full-text score (higher better) for ``entry_ids``.

    The same score as ``_hits_sql`` (headline and standfirst ``TITLE_WEIGHT`` times the
    body; ``PHRASE_BOOST`` for the words side by side), computed only for entries a
    candidate walk has already found allowed: PostgreSQL reads them by primary key
    instead of scanning the GIN indexes again, SQLite reads the FTS5 doclists only
    between the lowest and highest candidate.
    """
    if not entry_ids:
        return {}
    entries, fts = _index_tables()
    near = parsed.proximity()
    if connection.vendor == "postgresql":
        sql = (
            "SELECT e.id, ts_rank('{1,1,1,1}', e.title, q) * %s "
            "+ ts_rank('{1,1,1,1}', e.body, q, 1), "
            "(e.title @@ near OR e.body @@ near) "
            "FROM e, to_tsquery('english', %s) q, to_tsquery('english', %s) near"
        )
        # By primary key, fenced as in _matching_entries.
        sql = (
            f"WITH e AS MATERIALIZED (SELECT id, title, body FROM {entries} "  # noqa: S608
            f"WHERE id = ANY(%s)) {sql}"
        )
        params = [list(entry_ids), TITLE_WEIGHT, parsed.tsquery(), (near or parsed).tsquery()]
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return {
                e: rel * (PHRASE_BOOST if side_by_side else 1.0)
                for e, rel, side_by_side in cursor.fetchall()
            }
    # FTS5 columns are (autocomplete, body, title); bm25() is negative, lower is better.
    sql = (
        f"SELECT rowid, -bm25({fts}, 0.0, 1.0, %s) FROM {fts} "  # noqa: S608
        f"WHERE {fts} MATCH %s AND rowid >= %s AND rowid <= %s"
    )
    wanted = set(entry_ids)
    with connection.cursor() as cursor:
        cursor.execute(sql, [TITLE_WEIGHT, parsed.fts5(), min(wanted), max(wanted)])
        scores = {e: rel for e, rel in cursor.fetchall() if e in wanted}
    if near is not None:
        for entry in _matching_entries(near, list(wanted), title_only=False):
            if entry in scores:
                scores[entry] *= PHRASE_BOOST
    return scores


def _rank_exact(parsed: ParsedQuery, rows: list, sort: str) -> list[int]:
    """Return the story ids of ``rows`` (every allowed match, from ``_newest_candidates``),
    best first, each with its full-text score.

    The order of ``_exact_ranked`` (score times the recency factor, then newer first),
    without reading the matches and checking their stories a second time.
    """
    if sort == "date":
        return [row[1] for row in sorted(rows, key=lambda row: (row[2], -row[1]))]
    scores = _scores(parsed, [row[0] for row in rows])

    def key(row: tuple) -> tuple[float, float, int]:
        entry, pk, age, _ = row
        rel = scores.get(entry, 0.0) * (1.0 + RECENCY_BOOST / (1.0 + age / RECENCY_DAYS))
        return (-rel, age, -pk)

    return [row[1] for row in sorted(rows, key=key)]


def _exact_ranked(parsed: ParsedQuery, filters: Filters, sort: str, now: dt.datetime) -> list[int]:
    """Return the ids of every allowed match, each scored, best first, in one statement.

    The reference ranking: the benchmark compares the newest-first ranking of common
    words with it (for a common word it reads every match, which takes seconds at
    100,000 stories). Reader searches use ``_rank_exact`` on the walked candidates.
    """
    hits_sql, hits_params = _hits_sql(parsed)
    # Correlated on each hit, so the check costs one primary-key lookup per match rather
    # than listing every published story (100,000 rows) on every query.
    allowed = allowed_stories(filters).filter(pk=RawSQL("hit.pk", ())).values("pk")
    allowed_sql, allowed_params = allowed.query.sql_with_params()
    if sort == "date":
        order, order_params = "p.first_published_at DESC, p.id DESC", []
    else:
        age_sql, order_params = _age_days_sql(now)
        order = (
            f"hit.rel * (1.0 + {RECENCY_BOOST} / (1.0 + {age_sql} / {RECENCY_DAYS})) DESC, "
            "p.first_published_at DESC, p.id DESC"
        )
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT hit.pk FROM ({hits_sql}) hit JOIN wagtailcore_page p ON p.id = hit.pk "  # noqa: S608
            f"WHERE EXISTS ({allowed_sql}) ORDER BY {order}",
            [*hits_params, *allowed_params, *order_params],
        )
        return [row[0] for row in cursor.fetchall()]


def ranked_ids(
    parsed: ParsedQuery, filters: Filters, sort: str, offset: int, limit: int, now: dt.datetime
) -> tuple[list[int], int, bool]:
    """Return one page of matching story ids in order, the number of matches, and
    whether that number is only a lower bound (see ``_newest_candidates``).

    Counting stops past ``MAX_COUNT``: readers page through at most ``MAX_PAGE`` pages.
    A query matching at most ``RANK_ALL`` allowed stories has every match scored. A
    query matching more (a common word in a large archive) ranks only the newest
    ``MAX_COUNT + 1`` allowed matches (``_candidate_ranked``): among thousands of
    stories that all use a common word, the newer ones are what a reader wants.
    """
    rows, cut_short = _newest_candidates(parsed, filters, MAX_COUNT + 1, now)
    if len(rows) <= RANK_ALL and not cut_short:
        ranked = _rank_exact(parsed, rows, sort)
    else:
        ranked = _rank_candidates(parsed, rows, sort)
    return ranked[offset : offset + limit], min(len(ranked), MAX_COUNT + 1), cut_short


def uses_database_index() -> bool:
    """Return True when the default search backend is Wagtail's SQLite or PostgreSQL one.

    Only those keep the index in tables this module can query with its own ranking;
    any other backend (Elasticsearch, OpenSearch, MySQL, the plain database fallback)
    is queried through Wagtail's search API (``search_with_backend``).
    """
    backend = type(get_search_backend())
    if connection.vendor == "sqlite":
        from modelsearch.backends.database.sqlite.sqlite import SQLiteSearchBackend as known
    elif connection.vendor == "postgresql":
        from modelsearch.backends.database.postgres.postgres import PostgresSearchBackend as known
    else:
        return False
    return issubclass(backend, known)


def search_with_backend(
    parsed: ParsedQuery, filters: Filters, sort: str, offset: int, limit: int
) -> tuple[list[int], int]:
    """Return one page of story ids and the number of matches, through Wagtail's search API.

    The query is the same folded, stemmed terms the index holds, every term required
    and phrases kept; filters become conditions on Page's filter fields (``path``,
    ``depth``, ``id``, ``first_published_at``), which every Wagtail backend supports.
    Ranking is the backend's own, with the headline's boost; the recency factor and
    the side-by-side bonus of the database ranking are not applied.
    """
    from wagtail.search.query import And, Phrase, PlainText

    from masthead.articles.models import ArticleTopic

    parts = [PlainText(" ".join(parsed.terms), operator="and")] if parsed.terms else []
    parts += [Phrase(" ".join(phrase)) for phrase in parsed.phrases]
    query = parts[0] if len(parts) == 1 else And(parts)
    stories = ArticlePage.objects.live().public()
    if filters.section:
        section = _section(filters.section)
        if section is None:
            return [], 0
        stories = stories.child_of(section)
    # Related-model lookups are not filter fields, so topics and authors become id lists.
    if filters.topic:
        linked = ArticleTopic.objects.filter(topic__slug=filters.topic)
        stories = stories.filter(id__in=list(linked.values_list("page_id", flat=True)))
    if filters.author:
        linked = ArticleAuthor.objects.filter(author__slug=filters.author)
        stories = stories.filter(id__in=list(linked.values_list("page_id", flat=True)))
    if filters.date_from:
        start = dt.datetime.combine(filters.date_from, dt.time.min, tzinfo=dt.UTC)
        stories = stories.filter(first_published_at__gte=start)
    if filters.date_to:
        end = dt.datetime.combine(
            filters.date_to + dt.timedelta(days=1), dt.time.min, tzinfo=dt.UTC
        )
        stories = stories.filter(first_published_at__lt=end)
    if sort == "date":
        stories = stories.order_by("-first_published_at", "-id")
    results = stories.search(query, order_by_relevance=sort != "date")
    total = min(results.count(), MAX_COUNT + 1)
    if offset >= total:
        return [], total
    return [story.pk for story in results[offset : offset + limit]], total


# What a result shows (search_page.html: section, link, headline, date, byline,
# standfirst, snippet); every other column of a story is left unread.
RESULT_FIELDS = (
    "id",
    "path",
    "depth",
    "url_path",
    "title",
    "slug",
    "live",
    "locale_id",
    "content_type_id",
    "first_published_at",
    "standfirst",
    "body",
)


def _load(ids: list[int], parsed: ParsedQuery) -> list:
    """Return the stories for ``ids`` in that order, each with a highlighted ``snippet``.

    Two queries: the stories (only the columns a result shows) and their bylines (names
    only, set as each story's ``authors``), rather than a prefetch of whole link and
    author rows.
    """
    if not ids:
        return []
    stories = ArticlePage.objects.filter(pk__in=ids).only(*RESULT_FIELDS)
    by_pk = {story.pk: story for story in stories}
    bylines: dict[int, list] = {pk: [] for pk in by_pk}
    links = (
        ArticleAuthor.objects.filter(page_id__in=list(by_pk), author__isnull=False)
        .order_by("page_id", "sort_order", "id")
        .values_list("page_id", "author_id", "author__name", "author__slug")
    )
    for page_id, author_id, name, slug in links:
        bylines[page_id].append(Author(id=author_id, name=name, slug=slug))
    ordered = [by_pk[pk] for pk in ids if pk in by_pk]
    terms = parsed.all_terms
    for story in ordered:
        story.authors = bylines[story.pk]  # ArticlePage.authors is a cached_property
        story.standfirst_html, story.snippet = result_texts(story.standfirst, story.body, terms)
    return attach_sections(ordered)


def matching_pages(parsed: ParsedQuery, limit: int = PAGES_SHOWN) -> list:
    """Return the live, public information pages matching ``parsed``, best first.

    They are indexed as stories are (the same folded, stemmed terms, the headline and
    standfirst weighted the same), so one query finds both kinds; the search page lists
    these after the stories. Each gets ``standfirst_html`` and a ``snippet`` as a story does.
    """
    from masthead.pages.models import InformationPage

    if not parsed:
        return []
    if uses_database_index():
        sql, params = _hits_sql(parsed, model=InformationPage)
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT hit.pk FROM ({sql}) hit ORDER BY hit.rel DESC, hit.pk", params)  # noqa: S608
            ids = [row[0] for row in cursor.fetchall()]
    else:
        from wagtail.search.query import And, Phrase, PlainText

        parts = [PlainText(" ".join(parsed.terms), operator="and")] if parsed.terms else []
        parts += [Phrase(" ".join(phrase)) for phrase in parsed.phrases]
        query = parts[0] if len(parts) == 1 else And(parts)
        ids = [p.pk for p in InformationPage.objects.live().public().search(query)[:limit]]
    if not ids:
        return []
    found = {
        page.pk: page
        for page in InformationPage.objects.live()
        .public()
        .filter(pk__in=ids)
        .only("id", "path", "depth", "url_path", "title", "slug", "live", "standfirst", "body")
    }
    pages = [found[pk] for pk in ids if pk in found][:limit]
    for page in pages:
        page.standfirst_html, page.snippet = result_texts(
            page.standfirst, page.body, parsed.all_terms
        )
    return pages


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

    if uses_database_index():
        find = ranked_ids
    else:

        def find(parsed, filters, sort, offset, limit, now):
            return *search_with_backend(parsed, filters, sort, offset, limit), False

    ids, total, partial = find(parsed, filters, sort, offset, PAGE_SIZE, now)
    # Pages are not stories: they follow the stories on the first page, and only when no
    # filter (a story's section, topic, author or dates) narrows the search.
    pages = matching_pages(parsed) if page == 1 and not filters else []
    suggestion = suggest.suggest(raw_query)
    if total == 0 and suggestion and not pages:
        corrected = parse(suggestion)
        ids, total, partial = find(corrected, filters, sort, offset, PAGE_SIZE, now)
        if total:
            results.corrected_from = raw_query
            results.query = suggestion
            results.parsed = parsed = corrected
            suggestion = None
    results.suggestion = suggestion
    results.total = total
    results.total_is_lower_bound = partial and not results.total_is_capped
    results.hits = _load(ids, parsed)
    results.pages = pages
    return results
