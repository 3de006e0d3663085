"""The shared store: atomic counters and locks across processes, and the change beacon."""

import os

import pytest
from django.conf import settings

from masthead.core import state

from . import forking

REDIS = bool(getattr(settings, "REDIS_URL", None))


def test_embedded_store_is_diskcache_in_the_data_folder():
    if REDIS:
        pytest.skip("this run uses Redis for the shared store")
    assert isinstance(state.store(), state.SharedStateCache)
    assert settings.CACHES["state"]["LOCATION"] == str(settings.DATA_DIR / "state")
    assert state.is_embedded()


def test_incr_starts_at_start_and_counts():
    assert state.incr("t:count") == 1
    assert state.incr("t:count") == 2
    assert state.incr("t:other", start=41) == 42
    assert state.store().get("t:other") == 42


def test_incr_with_a_timeout_creates_an_expiring_counter():
    assert state.incr("t:window", timeout=60) == 1
    assert state.incr("t:window", timeout=60) == 2


def _hammer(args):
    key, lock_key, rounds = args
    import django

    django.setup()
    from django.db import connections

    connections.close_all()
    from masthead.core import state as child_state

    locks = 0
    for i in range(rounds):
        child_state.incr(key)
        if child_state.store().add(f"{lock_key}:{i}", 1, timeout=60):
            locks += 1
    return locks


def test_increments_and_locks_from_four_processes_are_counted_once():
    # Each process adds 150 and tries to take 150 locks that the others want too:
    # nothing lost, and each lock granted exactly once.
    rounds = 150
    with forking.pool(4) as pool:
        granted = pool.map(_hammer, [("t:race", "t:lock", rounds)] * 4)
    assert state.store().get("t:race") == 4 * rounds
    assert sum(granted) == rounds


def test_beacon_token_changes_on_every_touch():
    before = state.beacon_token()
    seen = {before}
    for _ in range(20):
        state.touch_beacon()
        token = state.beacon_token()
        assert token not in seen  # even within one tick of the file system's clock
        seen.add(token)


def test_beacon_starts_again_when_it_grows_too_big(monkeypatch):
    monkeypatch.setattr(state, "BEACON_MAX_BYTES", 4)
    tokens = set()
    for _ in range(10):
        state.touch_beacon()
        tokens.add(state.beacon_token())
    assert os.stat(state.beacon_path()).st_size <= 4
    assert len(tokens) >= 2


def test_clear_removes_only_the_stores_own_keys():
    from django.core.cache import cache

    state.store().set("t:mine", 1)
    cache.set("t:page", 2)
    state.clear()
    assert state.store().get("t:mine") is None
    if not REDIS:
        assert cache.get("t:page") == 2  # pages are not shared state


@pytest.mark.redis
def test_clear_on_redis_leaves_other_keys_of_the_database():
    if not REDIS:
        pytest.skip("needs MASTHEAD_TEST_REDIS_URL")
    # The store is Redis behind Masthead's failover wrapper (masthead.core.failover).
    client = state.store().primary.client.get_client()
    client.set("someone-else:key", b"1")
    state.store().set("t:mine", 1)
    state.clear()
    assert client.get("someone-else:key") == b"1"
    assert state.store().get("t:mine") is None
    client.delete("someone-else:key")
