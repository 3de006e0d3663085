"""Index many stories at once, writing exactly the entries Wagtail's database backend writes.

    from masthead.search.bulk_index import index_pages
    index_pages(ArticlePage.objects.filter(...))            # pages, a queryset or ids
    index_pages(ids, progress=lambda done, total: ...)
    index_pages(pages, prefetched=True)   # the objects as they are, not read again

Wagtail's database backends (``modelsearch.backends.database``, SQLite and PostgreSQL)
build an entry per object with an ``ObjectIndexer`` that walks the model's search
fields once for every index column (title, body, autocomplete, and on PostgreSQL the
plain title and body texts as well): five walks per story, each following the bylines
and topics again. On PostgreSQL each column is then a Django ``SearchVector``
expression built and compiled for every row, and after every batch the backend
recomputes every new entry's ``title_norm`` from the average over the whole table.

This module keeps the backend's own indexer classes, value preparation and SQL, and
removes the repetition:

- each top-level search field is prepared once per story (a memo in
  ``_OnceIndexer.prepare_field``); the columns are assembled by the backend's code;
- on PostgreSQL the SQL of a column's vector depends only on its weights, so it is
  compiled by Django once per weight pattern (with placeholder texts) and reused with
  each story's texts as parameters: the same statement text, the same parameters;
- with Wagtail's own backend, ``title_norm`` is refreshed once at the end, over all new
  entries, instead of after every batch (its refresh only touches entries still at 1.0);
  with Masthead's (``masthead.compat.search_backend``, the default) each batch gets its norms
  as the backend's ``add_items`` gives them, from the newest entries' average.

Any other backend (Elasticsearch, OpenSearch, the database fallback) gets the pages
through its own ``add_bulk``. ``masthead/search/tests/test_bulk_index.py`` compares,
row by row, the entries written here with those the backend writes.
"""

from collections.abc import Callable, Iterable

from django.db import transaction
from django.db.models import Model
from django.db.models.sql.subqueries import InsertQuery
from wagtail.search.backends import get_search_backend

BATCH = 1000
RELATIONS = ("article_authors__author", "article_topics__topic")

Progress = Callable[[int, int], None]


def index_pages(
    pages_or_ids: Iterable,
    *,
    progress: Progress | None = None,
    batch: int = BATCH,
    backend=None,
    prefetched: bool = False,
) -> int:
    """Index (or reindex) the given stories; return how many were indexed.

    ``pages_or_ids`` holds ArticlePage objects or their ids (or is a queryset); the
    stories are read again in batches of ``batch`` with their bylines and topics, so
    what is indexed is what the database holds. ``progress(done, total)`` is called
    after each batch. Each batch is written in its own transaction.

    With ``prefetched=True``, ``pages_or_ids`` holds ArticlePage objects that already
    carry what the index reads (bylines and topics in memory, as from
    ``prefetch_related(*RELATIONS)`` or just written): they are indexed as they are, in
    the order given, batch by batch, as ``backend.add_bulk`` would index them, without
    reading them again.
    """
    from masthead.articles.models import ArticlePage

    backend = backend or get_search_backend()
    index = backend.get_index_for_model(ArticlePage)
    writer = _writer_for(index)
    if prefetched:
        items = list(pages_or_ids)
        for item in items:
            if not isinstance(item, ArticlePage):
                raise TypeError(
                    f"index_pages(prefetched=True) takes ArticlePage objects, not {item!r}"
                )

        def read(chunk):
            return chunk

    else:
        items = sorted({item.pk if isinstance(item, Model) else int(item) for item in pages_or_ids})
        stories = ArticlePage.objects.order_by("pk").prefetch_related(*RELATIONS)

        def read(chunk):
            return list(stories.filter(pk__in=chunk))

    done = 0
    for start in range(0, len(items), batch):
        pages = read(items[start : start + batch])
        with transaction.atomic():
            if writer is None:
                backend.add_bulk(ArticlePage, pages)
            else:
                writer.add(ArticlePage, pages)
        done += len(pages)
        if progress:
            progress(min(start + batch, len(items)), len(items))
    if writer is not None and done:
        writer.finish()
    return done


def _writer_for(index):
    """Return the fast writer for a database backend's index, or None for any other."""
    vendor = getattr(getattr(index, "write_connection", None), "vendor", None)
    if vendor == "sqlite":
        from modelsearch.backends.database.sqlite.sqlite import SQLiteIndex

        if isinstance(index, SQLiteIndex):
            return _SQLiteWriter(index)
    if vendor == "postgresql":
        from modelsearch.backends.database.postgres.postgres import PostgresIndex

        if isinstance(index, PostgresIndex):
            return _PostgresWriter(index)
    return None


def _norms_after_batch(index, content_type_pk, object_ids) -> None:
    """Masthead's backend (masthead.compat.search_backend) sets the norms of each batch as it is
    written, exactly as its own ``add_items`` does; Wagtail's refreshes them all in ``finish``."""
    from masthead.compat.search_backend import RecentTitleNormsMixin

    if isinstance(index, RecentTitleNormsMixin):
        index.refresh_norms_of(content_type_pk, [str(pk) for pk in object_ids])


def _finish(index) -> None:
    from masthead.compat.search_backend import RecentTitleNormsMixin

    if not isinstance(index, RecentTitleNormsMixin):
        index._refresh_title_norms()


class _OnceMixin:
    """Prepare each of the object's own search fields once, whichever column asks."""

    def prepare_field(self, obj, field):
        if obj is not self.obj:
            # A related object's field, reached from a RelatedFields being prepared.
            yield from super().prepare_field(obj, field)
            return
        memo = self.__dict__.setdefault("_prepared", {})
        if id(field) not in memo:
            memo[id(field)] = list(super().prepare_field(obj, field))
        yield from memo[id(field)]


class _SQLiteWriter:
    """The SQLite backend's ``add_items``, with each field prepared once."""

    def __init__(self, index):
        from modelsearch.backends.database.sqlite import sqlite

        self.index = index
        self.indexer = type("OnceIndexer", (_OnceMixin, sqlite.ObjectIndexer), {})
        self.entries = sqlite.IndexEntry._default_manager.all()
        self.model = sqlite.IndexEntry

    def add(self, model, objs) -> None:
        from modelsearch.utils import get_content_type_pk

        if not model.get_search_fields() or not objs:
            return
        content_type_pk = get_content_type_pk(model)
        rows = {}
        for obj in objs:
            indexer = self.indexer(obj, self.index.backend)
            rows[indexer.id] = (indexer.title, indexer.autocomplete, indexer.body)
        for_ct = self.entries.filter(content_type_id=content_type_pk)
        indexed = frozenset(
            for_ct.filter(object_id__in=rows.keys()).values_list("object_id", flat=True)
        )
        for object_id in indexed:  # as the backend: existing entries updated in place
            title, autocomplete, body = rows[object_id]
            for_ct.filter(object_id=object_id).update(
                title=title, autocomplete=autocomplete, body=body
            )
        self.entries.bulk_create(
            [
                self.model(
                    content_type_id=content_type_pk,
                    object_id=object_id,
                    title=title,
                    autocomplete=autocomplete,
                    body=body,
                )
                for object_id, (title, autocomplete, body) in rows.items()
                if object_id not in indexed
            ]
        )
        _norms_after_batch(self.index, content_type_pk, rows.keys())

    def finish(self) -> None:
        _finish(self.index)


class _PostgresWriter:
    """The PostgreSQL backend's ``add_items``: same statement, vectors compiled once per shape."""

    def __init__(self, index):
        from modelsearch.backends.database.postgres import postgres

        self.index = index
        self.model = postgres.IndexEntry
        self.connection = index.write_connection
        self.compiler = InsertQuery(self.model).get_compiler(connection=self.connection)
        self.templates: dict = {}
        writer = self

        class OnceIndexer(_OnceMixin, postgres.ObjectIndexer):
            def as_vector(self, texts, for_autocomplete=False):
                return writer.vector(self, texts, for_autocomplete)

        self.indexer = OnceIndexer
        self.base_as_vector = postgres.ObjectIndexer.as_vector

    def vector(self, indexer, texts, for_autocomplete):
        """Return (sql, params) of the backend's vector expression for these texts."""
        # The backend's own filtering, so the shape matches what it would compile.
        texts = [(text.strip(), weight) for text, weight in texts]
        texts = [(text, weight) for text, weight in texts if text]
        key = (tuple(weight for _, weight in texts), for_autocomplete)
        template = self.templates.get(key)
        if template is None:
            template = self.templates[key] = self._compile(indexer, key)
        sql, params, slots = template
        params = list(params)
        for position, text_number in slots:
            params[position] = texts[text_number][0]
        return sql, params

    def _compile(self, indexer, key):
        """Compile the backend's expression once with placeholder texts; note where they go."""
        weights, for_autocomplete = key
        placeholders = [f"\x00masthead-text-{n}\x00" for n in range(len(weights))]
        expression = self.base_as_vector(
            indexer, list(zip(placeholders, weights, strict=True)), for_autocomplete
        )
        value = self.compiler.prepare_value(self.model._meta.get_field("body"), expression)
        sql, params = value.as_sql(self.compiler, self.connection)
        params = list(params)
        slots = [(i, placeholders.index(p)) for i, p in enumerate(params) if p in placeholders]
        if sorted(n for _, n in slots) != list(range(len(weights))):
            raise RuntimeError("unexpected vector SQL: each text must be one parameter")
        return sql, params, slots

    def add(self, model, objs) -> None:
        from modelsearch.utils import get_content_type_pk

        if not model.get_search_fields() or not objs:
            return
        content_type_pk = get_content_type_pk(model)
        values_sql, params = [], []
        for obj in objs:
            indexer = self.indexer(obj, self.index.backend)
            title_sql, title_params = indexer.title
            autocomplete_sql, autocomplete_params = indexer.autocomplete
            body_sql, body_params = indexer.body
            params += [content_type_pk, indexer.id, *title_params]
            params += [*autocomplete_params, *body_params]
            params += [indexer.title_text, indexer.body_text]
            values_sql.append(f"(%s, %s, {title_sql}, {autocomplete_sql}, {body_sql}, 1.0, %s, %s)")
        # The backend's statement (modelsearch PostgresIndex.add_items), unchanged.
        self._execute(
            f"""
                INSERT INTO {self.model._meta.db_table} (content_type_id, object_id, title, autocomplete, body, title_norm, title_text, body_text)
                (VALUES {", ".join(values_sql)})
                ON CONFLICT (content_type_id, object_id)
                DO UPDATE SET title = EXCLUDED.title,
                              title_norm = 1.0,
                              autocomplete = EXCLUDED.autocomplete,
                              body = EXCLUDED.body,
                              title_text = EXCLUDED.title_text,
                              body_text = EXCLUDED.body_text
                """,
            params,
        )
        _norms_after_batch(self.index, content_type_pk, [obj.pk for obj in objs])

    def _execute(self, sql: str, params: list) -> None:
        """Run ``sql`` (``%s`` placeholders) with server-side parameters.

        Django's psycopg cursor binds parameters on the client: it parses the whole
        statement (tens of thousands of placeholders per batch, a different text for
        every batch) and quotes every text into it, a third of this writer's CPU.
        Numbered placeholders on a raw cursor send the same values beside the
        statement instead; PostgreSQL reads the texts as it reads quoted literals.
        """
        import psycopg

        pieces = sql.split("%s")
        numbered = "".join(
            piece.replace("%%", "%") + (f"${n}" if n < len(pieces) else "")
            for n, piece in enumerate(pieces, 1)
        )
        self.connection.ensure_connection()
        with psycopg.RawCursor(self.connection.connection) as cursor:
            cursor.execute(numbered, params)

    def finish(self) -> None:
        _finish(self.index)
