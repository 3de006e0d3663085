"""Add many new pages under one parent at once, without ``Page.save()`` per page.

``add_child`` locks and rereads the parent, saves the page row, the specific row and
every child row one by one, then ``save_revision`` saves the page again. Over
thousands of pages (an archive import, a generated benchmark archive) that per-page
work dominates. ``insert_pages`` writes the same rows in a few statements per batch:

- the tree rows, with treebeard's materialised paths computed directly (one step
  per child after the parent's last child) and the parent's ``numchild`` raised once;
- the specific rows (``executemany``: Django cannot bulk-create a multi-table child);
- the modelcluster child rows (bylines, topics ...), one ``bulk_create`` per model;
- optionally one revision per page, with the same content ``save_revision`` stores,
  set as ``latest_revision`` (and ``live_revision`` for live pages), and the
  "created" / "published" entries of the page history.

No signals are sent (no ``post_save``, no ``page_published``): callers update the
search index, caches and other derived data once for the whole lot, see
``masthead.core.changes.changed("imported", page_ids=...)``. Run it inside a transaction so a
batch is written whole or not at all.
"""

import uuid
from collections import defaultdict
from collections.abc import Sequence

from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone
from modelcluster.models import get_all_child_relations
from wagtail.models import Page, PageLogEntry, ReferenceIndex, Revision


def next_child_step(parent: Page) -> int:
    """Return the tree step the next child of ``parent`` gets (after its last child)."""
    last = (
        Page.objects.filter(path__startswith=parent.path, depth=parent.depth + 1)
        .order_by("-path")
        .values_list("path", flat=True)
        .first()
    )
    return Page._str2int(last[-Page.steplen :]) + 1 if last else 1


def _specific_rows_sql(model) -> tuple[str, list]:
    fields = list(model._meta.local_concrete_fields)
    quote = connection.ops.quote_name
    columns = ", ".join(quote(f.column) for f in fields)
    marks = ", ".join(["%s"] * len(fields))
    table = quote(model._meta.db_table)
    return f"INSERT INTO {table} ({columns}) VALUES ({marks})", fields  # noqa: S608 - model metadata only


def _check_model(model) -> None:
    parents = list(model._meta.parents)
    if model is Page or parents != [Page]:
        raise TypeError(f"insert_pages needs a direct subclass of Page, not {model.__name__}.")


def insert_pages(
    parent: Page,
    pages: Sequence[Page],
    *,
    revisions: bool = False,
    log: bool = False,
    approved_go_live_at: Sequence | None = None,
) -> list[Page]:
    """Insert unsaved ``pages`` (one specific type) as the last children of ``parent``.

    Each page carries its own field values (``live``, dates, ``owner`` ...) and its
    child relations as modelcluster sets them (``page.article_authors = [...]``).
    Slugs must already be unique under ``parent``; nothing here validates them.
    With ``revisions``, each page gets one revision (``approved_go_live_at[i]`` for a
    scheduled one) as its latest revision, and as its live revision when live; with
    ``log``, the page history records its creation (and publication when live), as
    ``add_child`` and ``publish`` would. The pages are returned saved, with their ids.
    """
    pages = list(pages)
    if not pages:
        return []
    model = type(pages[0])
    _check_model(model)
    if any(type(page) is not model for page in pages):
        raise TypeError("insert_pages inserts pages of one type at a time.")
    now = timezone.now()
    content_type = ContentType.objects.get_for_model(model)
    parent = Page.objects.get(pk=parent.pk)  # the current path, depth and locale
    step = next_child_step(parent)
    depth = parent.depth + 1
    relations = get_all_child_relations(model)
    with transaction.atomic():
        bases = []
        for offset, page in enumerate(pages):
            page.path = Page._get_path(parent.path, depth, step + offset)
            page.depth = depth
            page.numchild = 0
            page.url_path = f"{parent.url_path}{page.slug}/"
            page.content_type = content_type
            page.locale_id = page.locale_id or parent.locale_id
            page.draft_title = page.draft_title or page.title
            if not page.translation_key:
                page.translation_key = uuid.uuid4()
            bases.append(Page(**{f.attname: getattr(page, f.attname) for f in Page._meta.fields}))
        Page.objects.bulk_create(bases)
        for base, page in zip(bases, pages, strict=True):
            page.id = page.page_ptr_id = base.pk
            page._state.adding = False
        sql, fields = _specific_rows_sql(model)
        rows = [
            [f.get_db_prep_save(f.pre_save(page, True), connection) for f in fields]
            for page in pages
        ]
        with connection.cursor() as cursor:
            cursor.executemany(sql, rows)
        _insert_children(pages, relations)
        Page.objects.filter(pk=parent.pk).update(numchild=F("numchild") + len(pages))
        if revisions:
            _add_revisions(pages, content_type, now, approved_go_live_at)
        if log:
            _add_log_entries(pages, content_type, now)
    return pages


def _insert_children(pages: list[Page], relations) -> None:
    """Save each page's in-memory child objects; give every other relation an empty set.

    The empty sets keep ``serializable_data`` (the revision content) from querying the
    database once per relation and page for rows that cannot exist yet.
    """
    by_model = defaultdict(list)
    for page in pages:
        held = getattr(page, "_cluster_related_objects", {})
        for relation in relations:
            name = relation.get_accessor_name()
            if name not in held:
                setattr(page, name, [])
                continue
            for position, child in enumerate(held[name]):
                setattr(child, relation.field.attname, page.pk)
                if hasattr(child, "sort_order") and child.sort_order is None:
                    child.sort_order = position
                by_model[type(child)].append(child)
    for child_model, children in by_model.items():
        child_model.objects.bulk_create(children, batch_size=500)


def _add_revisions(pages: list[Page], content_type, now, approved: Sequence | None) -> None:
    base_type = ContentType.objects.get_for_model(Page)
    revisions = [
        Revision(
            content_type=content_type,
            base_content_type=base_type,
            object_id=str(page.pk),
            created_at=now,
            object_str=str(page),
            content=page.serializable_data(),
            approved_go_live_at=approved[n] if approved else None,
        )
        for n, page in enumerate(pages)
    ]
    Revision.objects.bulk_create(revisions, batch_size=500)
    stamp = Page._meta.get_field("latest_revision_created_at").get_db_prep_save(now, connection)
    rows = []
    for page, revision in zip(pages, revisions, strict=True):
        page.latest_revision = revision
        page.latest_revision_created_at = now
        page.live_revision = revision if page.live else None
        rows.append((revision.pk, page.live_revision_id, stamp, page.pk))
    table = connection.ops.quote_name(Page._meta.db_table)
    sql = (
        f"UPDATE {table} SET latest_revision_id = %s, live_revision_id = %s, "  # noqa: S608 - model metadata only
        "latest_revision_created_at = %s WHERE id = %s"
    )
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)


def _add_log_entries(pages: list[Page], content_type, now) -> None:
    entries = []
    for page in pages:
        label = page.get_admin_display_title()
        entries.append(
            PageLogEntry(
                content_type=content_type,
                label=label,
                action="wagtail.create",
                timestamp=now,
                page_id=page.pk,
                user_id=page.owner_id,
                content_changed=True,
            )
        )
        if page.live:
            entries.append(
                PageLogEntry(
                    content_type=content_type,
                    label=label,
                    action="wagtail.publish",
                    timestamp=now,
                    page_id=page.pk,
                    user_id=page.owner_id,
                    revision=page.latest_revision,
                    content_changed=True,
                )
            )
    PageLogEntry.objects.bulk_create(entries, batch_size=500)


def child_relation_names(model) -> list[str]:
    """Return the accessor names of ``model``'s modelcluster child relations."""
    return [relation.get_accessor_name() for relation in get_all_child_relations(model)]


def index_references(objects: Sequence) -> int:
    """Bring Wagtail's reference index up to date for many saved objects of one model.

    The rows are the ones ``ReferenceIndex.create_or_update_for_object`` leaves, found
    by Wagtail's own extraction, but written with one delete and one insert for the
    lot instead of three queries per object. Prefetch the objects' child relations
    (``child_relation_names``): the extraction reads every one of them. Run it inside
    a transaction. Return the number of rows written.
    """
    objects = list(objects)
    if not objects:
        return 0
    model = type(objects[0])
    if not ReferenceIndex.is_indexed(model):
        return 0
    content_types = [
        ContentType.objects.get_for_model(item, for_concrete_model=False)
        for item in [model, *model._meta.get_parent_list()]
    ]
    content_type, base_content_type = content_types[0], content_types[-1]
    ids = [item.pk for item in objects]
    for start in range(0, len(ids), 500):
        ReferenceIndex.objects.filter(
            base_content_type=base_content_type, object_id__in=ids[start : start + 500]
        ).delete()
    rows = [
        (
            content_type.pk,
            base_content_type.pk,
            str(item.pk),
            to_content_type_id,
            str(to_object_id),
            model_path,
            content_path,
            ReferenceIndex._get_content_path_hash(content_path),
        )
        for item in objects
        for to_content_type_id, to_object_id, model_path, content_path in set(
            ReferenceIndex._extract_references_from_object(item)
        )
    ]
    # Plain rows (insert_rows): a model instance per reference cost more than the insert.
    return insert_rows(
        ReferenceIndex,
        [
            "content_type",
            "base_content_type",
            "object_id",
            "to_content_type",
            "to_object_id",
            "model_path",
            "content_path",
            "content_path_hash",
        ],
        rows,
    )


def insert_rows(model, field_names: Sequence[str], rows, batch: int = 5000) -> int:
    """Insert plain value tuples into ``model``'s table with ``executemany``; return the count.

    For hundreds of thousands of small rows (postings, related lists), building a
    model instance per row costs more than the database does. Values go through each
    field's ``get_db_prep_save`` (dates, JSON) except for plain numbers and strings.
    No signals are sent and no defaults filled in: give every column that needs one.
    On PostgreSQL the rows go through one ``COPY`` instead (``batch`` is not used).
    """
    fields = [model._meta.get_field(name) for name in field_names]
    quote = connection.ops.quote_name
    columns = ", ".join(quote(f.column) for f in fields)
    table = quote(model._meta.db_table)
    plain = ("IntegerField", "FloatField", "CharField", "ForeignKey", "BigAutoField", "AutoField")
    prepare = [None if f.get_internal_type() in plain else f for f in fields]

    def prepared(row) -> tuple:
        return tuple(
            value if field is None else field.get_db_prep_save(value, connection)
            for field, value in zip(prepare, row, strict=True)
        )

    count = 0
    if connection.vendor == "postgresql":
        # COPY streams the rows in one statement: several times faster than INSERTs
        # for the hundreds of thousands of postings a rebuild writes.
        with (
            connection.cursor() as cursor,
            cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy,
        ):
            for row in rows:
                copy.write_row(prepared(row))
                count += 1
        return count
    marks = ", ".join(["%s"] * len(fields))
    sql = f"INSERT INTO {table} ({columns}) VALUES ({marks})"  # noqa: S608 - model metadata only
    chunk: list = []
    with connection.cursor() as cursor:
        for row in rows:
            chunk.append(prepared(row))
            if len(chunk) >= batch:
                cursor.executemany(sql, chunk)
                count += len(chunk)
                chunk = []
        if chunk:
            cursor.executemany(sql, chunk)
            count += len(chunk)
    return count
