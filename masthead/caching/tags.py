"""Cache tags: what a cached page depends on, and how to invalidate it exactly.

Each tag has two counters in the shared cache. A cached page remembers the counters
of its tags when it was stored; a later change of a counter makes it out of date.
A *soft* change (a story edited, a new story in a section) lets readers get the old
copy for a moment while one request renders the new one. A *hard* change (a story
unpublished, deleted or made private) forbids the old copy, so nothing withdrawn is
ever served again.

Counters live in the shared store (masthead.core.state: Redis in production, diskcache
on the embedded default), so every process and server agrees on them.

Every invalidation also bumps one site-wide *epoch*, after the tags. A process that has
checked a page's tags and found them unchanged remembers the epoch it read first; while
the epoch stays the same, no tag can have changed, so a hit reads one counter instead of
two per tag (about 40 for a story page).
"""

import secrets
from collections.abc import Iterable

from django.db import transaction
from django.http import HttpRequest

from masthead.core import state

SITE = "site"
HOME = "home"
FEEDS = "feeds"
SITEMAPS = "sitemaps"
# Pages with a Popular block: soft-invalidated when the ranking moves.
POPULAR = "popular"
_PREFIX = "mh:tag:"
EPOCH_KEY = _PREFIX + "~epoch"


def page(pk: int) -> str:
    return f"page:{pk}"


def section(pk: int) -> str:
    return f"section:{pk}"


def topic(pk: int) -> str:
    return f"topic:{pk}"


def author(pk: int) -> str:
    return f"author:{pk}"


def running(pk: int) -> str:
    return f"running:{pk}"


def add(request: HttpRequest | None, *names: str) -> None:
    """Record that the response being rendered for ``request`` depends on ``names``."""
    if request is None:
        return
    collected = getattr(request, "_masthead_cache_tags", None)
    if collected is not None:
        collected.update(names)


def _keys(name: str) -> tuple[str, str]:
    return f"{_PREFIX}{name}:soft", f"{_PREFIX}{name}:hard"


def versions(names: Iterable[str]) -> dict[str, tuple[int, int]]:
    """Return the current (soft, hard) counters of each tag; a tag never changed is (0, 0)."""
    names = list(names)
    keys = [key for name in names for key in _keys(name)]
    found = state.store().get_many(keys) or {}
    result = {}
    for name in names:
        soft_key, hard_key = _keys(name)
        result[name] = (int(found.get(soft_key) or 0), int(found.get(hard_key) or 0))
    return result


def epoch() -> int | None:
    """Return the site-wide invalidation counter: 0 before any invalidation (a bumped
    epoch is never 0), None when the cache cannot be read."""
    try:
        return int(state.store().get(EPOCH_KEY) or 0)
    except Exception:
        return None


def epoch_token():
    """Return something that changes whenever the epoch does, as cheaply as possible.

    On the embedded default it is the change beacon's status (one ``stat``), which every
    bump touches after the counters; elsewhere (Redis) the epoch itself. None when
    nothing can be read.
    """
    if state.is_embedded():
        return state.beacon_token()
    return epoch()


def invalidate(names: Iterable[str], *, hard: bool = False) -> None:
    """Mark every cached page that depends on one of ``names`` as out of date.

    Publishing runs in a transaction (masthead.compat.publishing). A reader request served
    between this call and the commit still sees the old rows and may cache the old page
    under the new counters, so inside a transaction the counters are bumped again once
    the change is committed.
    """
    from .purge import ban

    names = set(names)
    try:
        _bump_all(names, hard)
        if transaction.get_connection().in_atomic_block:
            transaction.on_commit(lambda: _bump_all(names, hard))
    finally:
        # Whatever became of the counters, the proxies hear of the change.
        ban(names)  # sent to the proxies once the change is committed


def _bump_all(names: set[str], hard: bool) -> None:
    for name in names:
        soft_key, hard_key = _keys(name)
        state.incr(soft_key)
        if hard:
            state.incr(hard_key)
    # Last, so a reader that sees the new epoch also sees the new tag counters. A lost
    # (evicted) epoch starts again at a random value, never at one a process remembers.
    state.incr(EPOCH_KEY, start=secrets.randbelow(1 << 48))
    state.touch_beacon()
