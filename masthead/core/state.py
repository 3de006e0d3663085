"""The store every process of a site shares: counters, locks, throttles, rankings.

Anything two requests must agree on lives here, never in a worker's own memory: the
Django cache alias ``state`` (settings). With ``REDIS_URL`` it is django-redis, shared
by every worker and app server. On the embedded default it is :class:`SharedStateCache`,
diskcache's Django cache at ``DATA_DIR/state``: SQLite files with transactions, so an
increment or an ``add()`` lock from four workers, the scheduler and a command-line run
at once is counted once and granted once. Django's file cache lost 3 of 4 increments
and granted the same lock twice under that load, the database cache lost most
increments (bench/state/store.py; docs/performance.md, "Shared state").

The *change beacon* (``DATA_DIR/state/changed``) is a file appended to whenever shared
content changes (masthead.core.changes). Its ``stat`` is a token a worker compares
with the one it last saw: unchanged means no counter moved on this machine, at the
cost of one system call instead of a store read. It is used only on the embedded
default, where every process shares the machine; with Redis the counters are read.
"""

import logging
import os
from pathlib import Path

from diskcache import DjangoCache
from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.base import BaseCache
from django.core.signals import setting_changed
from django.dispatch import receiver

logger = logging.getLogger("masthead.state")

ALIAS = "state"
BEACON_NAME = "changed"
# The beacon grows by one byte per change; past this size it starts again (a new
# modification time and size still tell every reader that it changed).
BEACON_MAX_BYTES = 1 << 16


class SharedStateCache(DjangoCache):
    """diskcache's Django cache whose reads wait out a busy database instead of missing.

    diskcache reads give up after its database timeout (10 ms) by default and answer
    "absent": a counter read as absent would look like a change that never happened,
    and a lock read as free would be taken twice.
    """

    def get(self, key, default=None, version=None, **kwargs):
        kwargs.setdefault("retry", True)
        return super().get(key, default=default, version=version, **kwargs)

    def incr(self, key, delta=1, version=None, default=None, retry=True):
        return super().incr(key, delta, version=version, default=default, retry=retry)


_store: list[BaseCache] = []


def store() -> BaseCache:
    """Return the store every process of this site shares.

    One instance per process: both backends are safe across threads (diskcache keeps a
    connection per thread, redis-py a pool), and Django's per-context cache handler
    would otherwise build a new one, opening diskcache's eight SQLite files, in every
    request context a server starts (granian's threads).
    """
    if not _store:
        _store.append(caches.create_connection(ALIAS))
    return _store[0]


@receiver(setting_changed)
def _forget_store(setting=None, **kwargs) -> None:
    if setting in ("CACHES", "DATA_DIR"):
        _store.clear()
        _beacon.clear()


def is_embedded() -> bool:
    """Return whether the store is the machine-local one (no Redis)."""
    return isinstance(store(), DjangoCache)


def incr(key: str, timeout: float | None = None, start: int = 0) -> int:
    """Add one to the counter ``key`` and return its new value, atomically.

    A missing counter starts at ``start`` (so the first call returns ``start + 1``).
    ``timeout`` applies to a counter this call creates; None keeps it until deleted.
    """
    cache = store()
    if isinstance(cache, DjangoCache):
        if timeout is None:
            # One SQLite transaction: read, add, write.
            return int(cache.incr(key, 1, default=start))
        cache.add(key, start, timeout=timeout)
        try:
            return int(cache.incr(key, 1))
        except ValueError:
            cache.add(key, start, timeout=timeout)
            return int(cache.incr(key, 1, default=start))
    # Redis: SET NX then INCR, each atomic; the value is stored as a plain integer.
    cache.add(key, start, timeout=timeout)
    try:
        return int(cache.incr(key))
    except ValueError:
        # Expired or evicted between the two calls: create it again.
        cache.add(key, start, timeout=timeout)
        return int(cache.incr(key))


_beacon: list[str] = []


def beacon_path() -> str:
    """Return the path of the change beacon file."""
    if not _beacon:
        _beacon.append(str(Path(settings.DATA_DIR) / "state" / BEACON_NAME))
    return _beacon[0]


def touch_beacon() -> None:
    """Tell every process on this machine that shared content changed."""
    path = beacon_path()
    try:
        os.makedirs(os.path.dirname(path), exist_ok=True)
        # O_APPEND writes are atomic: each change adds one byte, so the size differs
        # even when two changes share a modification time.
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
        try:
            if os.fstat(fd).st_size >= BEACON_MAX_BYTES:
                os.ftruncate(fd, 0)
            os.write(fd, b".")
        finally:
            os.close(fd)
    except OSError:
        logger.exception("Could not touch the change beacon %s", path)


def beacon_token() -> tuple | None:
    """Return a value that differs after every :func:`touch_beacon`, or None if unreadable."""
    try:
        status = os.stat(beacon_path())
    except FileNotFoundError:
        return ("absent",)
    except OSError:
        return None
    return (status.st_ino, status.st_mtime_ns, status.st_size)


def clear(aliases: tuple[str, ...] = (ALIAS,)) -> None:
    """Remove Masthead's keys from the caches ``aliases``, and nothing else.

    On Redis only keys under this site's prefix go (never ``FLUSHDB``, which
    django-redis's ``clear()`` is: the database number may be shared with other
    programs); the embedded store and local memory hold only Masthead's keys.
    """
    for alias in aliases:
        cache = store() if alias == ALIAS else caches[alias]
        if hasattr(cache, "delete_pattern"):
            cache.delete_pattern("*")  # django-redis: keys under KEY_PREFIX only
        else:
            cache.clear()
    touch_beacon()
