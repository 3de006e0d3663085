"""Values computed once per content change, shared by every request and app server.

A *generation* is a counter in the shared cache. Signals bump it when what it covers
changes (a story published, a pick edited); a value cached under the current
generation is then never read again. A short expiry bounds how long a value can
outlive a change the counter missed (a bulk import without signals, or local-memory
caches of separate processes, which do not see each other's counters).

Values cached here are *candidates* (lists of ids): the query that finally shows
stories still filters them to published public ones, so a stale list can omit a new
story for a moment but never show a withdrawn one.
"""

import logging
from collections.abc import Callable
from typing import TypeVar

from django.core.cache import cache

from .cross_process import shared_cache
from .request_memo import memoize

T = TypeVar("T")
logger = logging.getLogger("masthead.cache")

DEFAULT_TTL = 60
_PREFIX = "mh:gen:"


def current(name: str) -> int:
    """Return the generation of ``name``, read once per request."""

    def read() -> int:
        try:
            return int(shared_cache().get(_PREFIX + name) or 0)
        except Exception:
            logger.warning("Cache unavailable; recomputing %s values", name)
            return -1

    return memoize(f"generation:{name}", read)


def bump(name: str) -> None:
    """Make every value cached under the current generation of ``name`` obsolete."""
    key = _PREFIX + name
    try:
        store = shared_cache()
        store.add(key, 0, timeout=None)
        try:
            store.incr(key)
        except ValueError:
            store.set(key, 1, timeout=None)
    except Exception:
        logger.exception("Could not bump the %s generation", name)


def cached(name: str, key: str, compute: Callable[[], T], ttl: int = DEFAULT_TTL) -> T:
    """Return ``compute()``, cached under the current generation of ``name``.

    The value is also remembered for the rest of the request, so asking twice costs
    one cache read at most.
    """

    def read() -> T:
        gen = current(name)
        if gen < 0:
            return compute()
        full_key = f"{_PREFIX}{name}:{gen}:{key}"
        try:
            value = cache.get(full_key)
        except Exception:
            return compute()
        if value is None:
            value = compute()
            try:
                cache.set(full_key, value, ttl)
            except Exception:
                logger.warning("Could not cache %s", full_key)
        return value

    return memoize(f"generation:{name}:{key}", read)
