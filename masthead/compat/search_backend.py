"""Wagtail's database search backend, with an index update whose cost does not grow with the archive.

Wagtail's SQLite and PostgreSQL backends (the ``modelsearch`` package) keep a ``title_norm``
per index entry (average title length / this title's length) for their BM25-like title
boost. After every ``add_items`` (saving or publishing one story calls it up to three times)
they recompute the average title length over the *whole* index table and then scan the table
again for entries whose norm is still the default 1.0. At 100,000 stories that is two full
scans of a table of several hundred megabytes per call: about 12 of the 16 seconds a publish
took on SQLite (bench/perf/run.py --scale).

Here the two scans become:

- the average title length of the newest ``NORM_SAMPLE`` entries (read backwards along the
  primary key, so its cost is fixed), a close estimate of the whole table's average that
  follows the newsroom's current headline style;
- the norm written for exactly the entries just added or updated (by their object ids), which
  also refreshes the norm of an edited headline (upstream leaves an edited entry's old norm on
  SQLite).

A full rebuild (``update_index``) still computes the exact average over every entry, through
the upstream code. Nothing else changes: the same tables, rows and queries.
"""

from django.db import connection
from django.db.models import Avg, F
from django.db.models.functions import Length
from modelsearch.utils import get_content_type_pk

NORM_SAMPLE = 2000


class RecentTitleNormsMixin:
    """Limit the title-norm refresh after ``add_items`` to the entries it wrote."""

    _written = None

    def add_items(self, model, objs):
        objs = list(objs)
        self._written = (get_content_type_pk(model), [str(obj.pk) for obj in objs])
        try:
            return super().add_items(model, objs)
        finally:
            self._written = None

    def _refresh_title_norms(self, full=False):
        if full or not self._written:
            return super()._refresh_title_norms(full=full)
        self.refresh_norms_of(*self._written)
        return None

    def refresh_norms_of(self, content_type_pk: int, object_ids: list[str]) -> None:
        """Set the title norms of these entries from the newest entries' average."""
        lavg = average_title_length(self.entries)
        if not lavg:
            return
        (
            self.entries.filter(content_type_id=content_type_pk, object_id__in=object_ids)
            .annotate(title_length=Length("title"))
            .filter(title_length__gt=0)
            .update(title_norm=lavg / F("title_length"))
        )


class BulkPagesMixin:
    """``add_bulk`` for objects already in memory, written through the bulk index writer.

    ``add_bulk_in_memory(model, objs)`` leaves the same entries as ``add_bulk(model, objs)``
    (one batch, the objects as given: ArticlePages with their bylines and topics in
    memory), written by ``masthead.search.bulk_index`` with each field prepared once.
    The importer calls it through the configured backend, so it needs no import of this
    app; other models, and backends without this method, take ``add_bulk``.
    """

    def add_bulk_in_memory(self, model, objs):
        from masthead.articles.models import ArticlePage

        objs = list(objs)
        if model is not ArticlePage or not objs:
            return self.add_bulk(model, objs)
        from masthead.search.bulk_index import index_pages

        return index_pages(objs, prefetched=True, batch=len(objs), backend=self)


def average_title_length(entries, sample: int = NORM_SAMPLE) -> float | None:
    """Average title length (in the backend's units) of the newest ``sample`` entries."""
    newest = entries.order_by("-pk").values("pk")[:sample]
    return (
        entries.filter(pk__in=newest)
        .annotate(title_length=Length("title"))
        .filter(title_length__gt=0)
        .aggregate(average=Avg("title_length"))["average"]
    )


def _sqlite_backend():
    from modelsearch.backends.database.sqlite.sqlite import SQLiteIndex, SQLiteSearchBackend

    class MastheadSQLiteIndex(RecentTitleNormsMixin, SQLiteIndex):
        pass

    class MastheadSQLiteSearchBackend(BulkPagesMixin, SQLiteSearchBackend):
        index_class = MastheadSQLiteIndex

    return MastheadSQLiteSearchBackend


def _postgres_backend():
    from modelsearch.backends.database.postgres.postgres import (
        PostgresIndex,
        PostgresSearchBackend,
    )

    class MastheadPostgresIndex(RecentTitleNormsMixin, PostgresIndex):
        pass

    class MastheadPostgresSearchBackend(BulkPagesMixin, PostgresSearchBackend):
        index_class = MastheadPostgresIndex

    return MastheadPostgresSearchBackend


_classes: dict[str, type] = {}


def SearchBackend(params):
    """Wagtail's database backend for the default database, with bounded title-norm updates."""
    from modelsearch.backends.database import SearchBackend as upstream

    backend = upstream(params)
    vendor = connection.vendor
    factory = {"sqlite": _sqlite_backend, "postgresql": _postgres_backend}.get(vendor)
    if factory is None:
        return backend
    if vendor == "sqlite" and type(backend).__name__ != "SQLiteSearchBackend":
        return backend  # no FTS5 here: upstream's plain-database fallback
    if vendor not in _classes:
        _classes[vendor] = factory()
    return _classes[vendor](params)
