"""One way to say "content changed", and one way to cache what depends on it.

Named counters in the shared store (masthead.core.state) say what changed:

============  ===========================================================================
``STORIES``   which stories are live and where: listings, teasers, related, sections
``SITE``      what every page shows: navigation, sites, publication settings, pictures
``WORDS``     vocabularies learned from published copy: "did you mean", the newsroom
              dictionary of the editorial checks
``RANKING``   the Popular ranking, refreshed by the scheduler
============  ===========================================================================

:func:`changed` is the only writer: publishing, unpublishing, moving, deleting, bulk
import, restore, scheduled publishing and snippet edits all end there (through the
bridge from Wagtail's page signals below, :func:`watch` for snippets and models, or a
direct call). It bumps the counters, touches the change beacon and sends
:data:`content_changed` once, which the page cache and apps with derived data hear.

:func:`cached` keeps a value in the worker's memory and checks it against the shared
counters on every call, so a change made by any process (another worker, the
scheduler, a command-line run) is seen by the next call everywhere. On the embedded
default that check is one ``stat`` of the beacon; on Redis one read per request.

A page type declares its counters with :func:`register_page_type`; a type nobody
registered bumps every content counter, which is never wrong, only slower.
"""

import logging
import secrets
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Iterable
from typing import TypeVar

from django.db import transaction
from django.dispatch import Signal

from . import state
from .request_memo import forget, memoize

T = TypeVar("T")
logger = logging.getLogger("masthead.changes")

STORIES = "stories"
SITE = "site"
WORDS = "words"
RANKING = "ranking"
COUNTERS = (STORIES, SITE, WORDS, RANKING)
CONTENT = (STORIES, SITE, WORDS)

# Kinds whose counters do not depend on a page: everything for whole-site events.
KIND_COUNTERS: dict[str, tuple[str, ...]] = {
    "imported": CONTENT,
    "restored": COUNTERS,
    "ranked": (RANKING,),
    "site": (SITE, STORIES),
    "restricted": (SITE, STORIES, WORDS),
    "words": (WORDS,),
}
# Kinds after which nothing cached from before may be shown again (not even while a
# new copy renders): something was withdrawn.
# "withdrawn": part of a live page taken back (a live entry made a draft, moved to a
# later time or deleted) while the page itself stays published.
WITHDRAWING = frozenset({"unpublished", "deleted", "restricted", "restored", "moved", "withdrawn"})

content_changed = Signal()
"""Sent once per :func:`changed`. Arguments: ``kind`` (str), ``counters`` (the names
bumped), ``withdrawn`` (bool, see ``WITHDRAWING``), ``page`` (or None) and the details
given to :func:`changed` (e.g. ``page_ids`` and ``progress`` for an import)."""

_PREFIX = "mh:counter:"
_page_types: dict[type, tuple[str, ...]] = {}


def register_page_type(model: type, counters: Iterable[str]) -> None:
    """Declare which counters a change of a page of ``model`` (or a subclass) bumps."""
    counters = tuple(counters)
    unknown = set(counters) - set(COUNTERS)
    if unknown:
        raise ValueError(f"Unknown counters {sorted(unknown)}; known: {COUNTERS}.")
    _page_types[model] = counters


def page_counters(page) -> tuple[str, ...]:
    """Return the counters a change of ``page`` bumps (its registered type's)."""
    model = getattr(page, "specific_class", None) or type(page)
    for klass in model.__mro__:
        if klass in _page_types:
            return _page_types[klass]
    return CONTENT


def counters_for(kind: str, page=None) -> tuple[str, ...]:
    """Return the counters that a change of ``kind`` (about ``page``) bumps."""
    if kind in KIND_COUNTERS:
        return KIND_COUNTERS[kind]
    if page is not None:
        return page_counters(page)
    return CONTENT


def _key(name: str) -> str:
    return _PREFIX + name


def bump(*names: str) -> None:
    """Move ``names`` without telling listeners: for data derived from a change and
    rewritten after it (related lists), whose cached copies must go once more."""
    _bump(names)
    if transaction.get_connection().in_atomic_block:
        transaction.on_commit(lambda: _bump(names))


def _bump(names: Iterable[str]) -> None:
    for name in names:
        # A counter lost (evicted, store emptied) starts again at a random value, never
        # at one a worker remembers.
        state.incr(_key(name), start=secrets.randbelow(1 << 48))
    state.touch_beacon()
    forget("changes:versions")


def changed(kind: str, *, page=None, counters: Iterable[str] | None = None, **details) -> None:
    """Say that content changed: bump its counters everywhere and tell the listeners.

    ``kind`` is one of "published", "unpublished", "moved", "deleted", "saved",
    "imported", "restored", "ranked", "site", "restricted", "words", "edited" or
    "withdrawn".
    ``counters`` overrides the counters the kind (or ``page``'s type) implies.

    Inside a transaction the counters are bumped again once it commits: a reader served
    in between still sees the old rows and may cache them under the new counters.
    """
    names = tuple(counters) if counters is not None else counters_for(kind, page)
    try:
        _bump(names)
        if transaction.get_connection().in_atomic_block:
            transaction.on_commit(lambda: _bump(names))
    except Exception:
        # A store outage must never stop an editor from publishing.
        logger.exception("Could not record a %s change", kind)
    content_changed.send(
        sender=kind,
        kind=kind,
        counters=names,
        withdrawn=kind in WITHDRAWING,
        page=page,
        **details,
    )


# What this process last read: the beacon's token and the counters it covered.
_seen: dict = {"token": None, "values": {}}
_seen_lock = threading.Lock()


def _read_all() -> dict[str, int]:
    found = state.store().get_many([_key(name) for name in COUNTERS]) or {}
    return {name: int(found.get(_key(name)) or 0) for name in COUNTERS}


def versions() -> dict[str, int]:
    """Return every counter's current value, read at most once per request.

    On the embedded default the store is read only when the change beacon moved since
    the last read; the beacon is looked at before the counters, so a change landing in
    between is seen again at the next call.
    """

    def read() -> dict[str, int]:
        if not state.is_embedded():
            return _read_all()
        token = state.beacon_token()
        with _seen_lock:
            if token is not None and token == _seen["token"]:
                return _seen["values"]
        values = _read_all()
        with _seen_lock:
            _seen.update(token=token, values=values)
        return values

    return memoize("changes:versions", read)


def current(*names: str) -> tuple[int, ...]:
    """Return the values of the counters ``names``."""
    values = versions()
    return tuple(values[name] for name in names)


# The per-worker first level: key -> (counter values, value, expiry or None).
_local: OrderedDict = OrderedDict()
_local_lock = threading.Lock()
MAX_LOCAL = 20_000
SHARED_SECONDS = 24 * 3600


def cached(
    key: str,
    counters: str | Iterable[str],
    build: Callable[[], T],
    *,
    ttl: float | None = None,
    shared: bool = False,
) -> T:
    """Return ``build()``, kept in this worker until one of ``counters`` moves.

    The counters are read before building, so a change made during the build leaves
    older values on the copy and it is built again next time. ``ttl`` bounds the age
    of a copy for values that drift without a change (none need it today but tests of
    clocks). ``shared=True`` also keeps the value in the shared store, for values that
    are costly to build, so one worker builds it and the others read it.
    """
    names = (counters,) if isinstance(counters, str) else tuple(counters)
    try:
        stamp = current(*names)
    except Exception:
        logger.warning("Shared store unavailable; building %s uncached", key)
        return build()
    now = time.monotonic()
    with _local_lock:
        entry = _local.get(key)
        if entry is not None and entry[0] == stamp and (entry[2] is None or now < entry[2]):
            _local.move_to_end(key)
            return entry[1]
    value = _MISSING
    shared_key = f"mh:cached:{key}:{'.'.join(map(str, stamp))}"
    if shared:
        try:
            value = state.store().get(shared_key, _MISSING)
        except Exception:
            value = _MISSING
    if value is _MISSING:
        value = build()
        if shared:
            try:
                state.store().set(shared_key, value, SHARED_SECONDS)
            except Exception:
                logger.warning("Could not share %s", key)
    with _local_lock:
        _local[key] = (stamp, value, now + ttl if ttl else None)
        _local.move_to_end(key)
        while len(_local) > MAX_LOCAL:
            _local.popitem(last=False)
    return value


_MISSING = object()


def stored(key: str, counters: str | Iterable[str], build: Callable[[], T], timeout: int) -> T:
    """Return ``build()``, kept in Django's ``default`` cache until one of ``counters``
    moves or ``timeout`` seconds pass: for many or large values (API answers) that
    belong with cached pages rather than in every worker's memory."""
    from django.core.cache import cache

    names = (counters,) if isinstance(counters, str) else tuple(counters)
    try:
        full_key = f"mh:stored:{key}:{'.'.join(map(str, current(*names)))}"
        value = cache.get(full_key, _MISSING)
    except Exception:
        logger.warning("Cache unavailable; building %s uncached", key)
        return build()
    if value is _MISSING:
        value = build()
        try:
            cache.set(full_key, value, timeout)
        except Exception:
            logger.warning("Could not cache %s", key)
    return value


def forget_local() -> None:
    """Drop this worker's copies (tests; a restore in this process)."""
    with _local_lock:
        _local.clear()
    with _seen_lock:
        _seen.update(token=None, values={})
    forget("changes:versions")


# Fields Wagtail writes for its own bookkeeping; a save of only these shows readers
# nothing new (a draft saved, a lock taken, a picture's size or hash recorded).
PAGE_BOOKKEEPING = frozenset(
    {
        "latest_revision",
        "latest_revision_created_at",
        "has_unpublished_changes",
        "draft_title",
        "comments",
        "wagtail_admin_comments",
        "locked",
        "locked_at",
        "locked_by",
    }
)


def _is_bookkeeping(update_fields, ignore: frozenset) -> bool:
    return update_fields is not None and set(update_fields) <= ignore


def watch(
    models: Iterable[type],
    counters: Iterable[str],
    *,
    ignore_fields: Iterable[str] = (),
    kind: str = "edited",
) -> None:
    """Bump ``counters`` whenever a row of one of ``models`` is saved or deleted.

    A save that writes only ``ignore_fields`` (``update_fields``) changes nothing
    readers see and bumps nothing.
    """
    from django.db.models.signals import post_delete, post_save

    counters = tuple(counters)
    ignore = frozenset(ignore_fields)

    def saved(sender, instance, update_fields=None, raw=False, **kwargs):
        if raw or _is_bookkeeping(update_fields, ignore):
            return
        changed(kind, counters=counters, instance=instance)

    def deleted(sender, instance, **kwargs):
        changed(kind, counters=counters, instance=instance)

    for model in models:
        uid = f"masthead-changes-{model._meta.label_lower}-{'-'.join(counters)}"
        post_save.connect(saved, sender=model, weak=False, dispatch_uid=uid)
        post_delete.connect(deleted, sender=model, weak=False, dispatch_uid=uid + "-del")


def _page_saved(sender, instance, update_fields=None, raw=False, **kwargs):
    # Publishing, scheduling, scripts and factories save pages; a draft saved or a lock
    # taken writes only bookkeeping fields. A page that is not live shows readers
    # nothing (its publish is its own change).
    if raw or not instance.live or _is_bookkeeping(update_fields, PAGE_BOOKKEEPING):
        return
    changed("saved", page=instance)


def _page_published(sender, instance, **kwargs):
    changed("published", page=instance)


def _page_unpublished(sender, instance, **kwargs):
    changed("unpublished", page=instance)


def _page_deleted(sender, instance, **kwargs):
    changed("deleted", page=instance)


def _page_moved(sender, instance, **kwargs):
    changed("moved", page=instance)


def _restriction_changed(sender, instance, **kwargs):
    changed("restricted", page=getattr(instance, "page", None))


def connect_wagtail() -> None:
    """Bridge Wagtail's page signals to :func:`changed`: the only receivers of them
    for caching. Called once from ``CoreConfig.ready()``."""
    from django.db.models.signals import post_delete, post_save
    from wagtail.models import Page, PageViewRestriction, Site
    from wagtail.signals import page_published, page_unpublished, post_page_move

    page_published.connect(_page_published, dispatch_uid="masthead-changes-published")
    page_unpublished.connect(_page_unpublished, dispatch_uid="masthead-changes-unpublished")
    post_page_move.connect(_page_moved, dispatch_uid="masthead-changes-moved")
    # Model signals name their concrete model as sender: connect without a sender and
    # keep pages only, so a page type added later is covered too.
    post_save.connect(_any_page_saved, dispatch_uid="masthead-changes-page-saved")
    post_delete.connect(_any_page_deleted, dispatch_uid="masthead-changes-page-deleted")
    for signal, uid in ((post_save, "save"), (post_delete, "del")):
        signal.connect(
            _restriction_changed, sender=PageViewRestriction, dispatch_uid=f"mh-changes-pvr-{uid}"
        )
    watch([Site], (SITE, STORIES), kind="site")
    _page_model[0] = Page


_page_model: list = [None]


def _is_page(sender) -> bool:
    page = _page_model[0]
    return page is not None and isinstance(sender, type) and issubclass(sender, page)


def _any_page_saved(sender, **kwargs):
    if _is_page(sender):
        _page_saved(sender, **kwargs)


def _any_page_deleted(sender, instance, **kwargs):
    # Deleting a story deletes its row and its base page row: the signal for the row of
    # the page's own type speaks, the other is skipped.
    if _is_page(sender) and getattr(instance, "specific_class", sender) in (sender, None):
        _page_deleted(sender, instance=instance)
