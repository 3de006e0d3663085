"""Redis as a cache, not a single point of failure (masthead.core.failover): while Redis
is down the shared state lives in the database, so the lockout locks, the scheduler
lock is taken once and counters count; one log line per outage; after it, the
counters reconcile by themselves."""

import logging
import threading
import time

import pytest
from django.core.cache import caches
from django.core.cache.backends.locmem import LocMemCache
from django.test import override_settings

from masthead.accounts import throttle
from masthead.core import failover, state
from masthead.core.models import SharedStateEntry
from masthead.operations import scheduler
from masthead.settings import env as settings_env

from .servers import REDIS_PORTS, RedisServer, free_port

pytestmark = pytest.mark.django_db(transaction=True)


def _caches(redis_url: str) -> dict:
    config = settings_env.cache(redis_url)
    config["default"]["KEY_PREFIX"] = config["state"]["KEY_PREFIX"] = "failover-test"
    for alias in ("default", "state"):
        config[alias]["OPTIONS"]["RETRY_SECONDS"] = 0.2
    return config


@pytest.fixture
def redis_server(tmp_path):
    server = RedisServer(tmp_path).start()
    yield server
    server.stop()


@pytest.fixture
def fresh_health():
    failover._health.clear()
    yield
    failover._health.clear()


def test_database_store_counts_atomically_and_grants_a_lock_once(settings):
    store = failover.DatabaseStateCache("", {"KEY_PREFIX": "t"})
    assert store.add("lock", "1", timeout=60) is True
    assert store.add("lock", "1", timeout=60) is False
    with pytest.raises(ValueError):
        store.incr("absent")
    store.add("count", 0, timeout=None)
    assert [store.incr("count") for _ in range(3)] == [1, 2, 3]
    assert store.get_many(["count", "lock", "absent"]) == {"count": 3, "lock": "1"}
    store.set("expired", "x", timeout=-1)
    assert store.get("expired") is None
    assert store.add("expired", "y", timeout=60) is True
    assert store.raw_key(store.make_key("count")) == ("count", 1)


def test_with_redis_down_the_state_lives_in_the_database_and_logs_once(fresh_health, caplog):
    dead = f"redis://127.0.0.1:{free_port(REDIS_PORTS)}/0"  # nothing listens there
    with override_settings(CACHES=_caches(dead)), caplog.at_level(logging.INFO):
        # Invalidation counters count.
        assert state.incr("mh:test-counter", start=10) == 11
        assert state.incr("mh:test-counter") == 12
        # The lockout locks after exactly the limit.
        for _ in range(throttle.LOGIN.limit()):
            assert not throttle.LOGIN.is_locked("editor", "10.0.0.1")
            throttle.LOGIN.hit("editor", "10.0.0.1")
        assert throttle.LOGIN.is_locked("editor", "10.0.0.1")
        # The scheduler's lock is a lock: held, a second pass does not run.
        assert state.store().add(scheduler.LOCK_KEY, "1", timeout=60)
        assert scheduler.run_once() is False
        state.store().delete(scheduler.LOCK_KEY)
        assert scheduler.run_once() is True
        # The page cache keeps working in each worker's memory.
        caches["default"].set("page", "copy")
        assert caches["default"].get("page") == "copy"
    assert SharedStateEntry.objects.filter(key__contains="test-counter").exists()
    warnings = [r for r in caplog.records if r.name == "masthead.redis"]
    assert len(warnings) == 1, [r.getMessage() for r in warnings]
    assert "unavailable" in warnings[0].getMessage()
    assert not any(r.exc_info for r in caplog.records)


def test_a_call_with_nothing_to_ask_does_not_end_an_outage(fresh_health, caplog):
    """django-redis answers get_many([]) and delete_many([]) without a round trip; taken
    for Redis answering, they ended the outage in the log and the next call began it
    again (a process logged "unavailable" twice in one outage in CI's fault test)."""
    dead = f"redis://127.0.0.1:{free_port(REDIS_PORTS)}/0"
    with override_settings(CACHES=_caches(dead)), caplog.at_level(logging.INFO):
        store = state.store()
        for _ in range(3):
            assert store.get("mh:absent") is None
            time.sleep(0.25)  # past RETRY_SECONDS: the next call asks Redis again
            assert store.get_many([]) == {}
            store.delete_many([])
            store.set_many({})
            assert caches["default"].get_many([]) == {}
    messages = [r.getMessage() for r in caplog.records if r.name == "masthead.redis"]
    assert sum("unavailable" in m for m in messages) == 1, messages
    assert not any("available again" in m for m in messages), messages


class _StalledRedis(LocMemCache):
    """A primary whose "slow" key answers only once the test lets it, and whose other
    calls fail as a dead Redis does: a call on its way when Redis went."""

    release = threading.Event()
    dead = False

    def get(self, key, default=None, version=None):
        if key == "slow":
            assert self.release.wait(5)
            return "answered"
        if self.dead:
            raise ConnectionError("Connection refused")
        return super().get(key, default, version)


def test_a_call_on_its_way_when_redis_went_does_not_end_the_outage(fresh_health, caplog):
    """Under load in CI a process logged "unavailable" twice in one outage: a call sent
    before Redis went answered after another had failed, and was taken for Redis back."""
    cache = failover.FailoverCache(
        "stalled",
        {
            "OPTIONS": {
                "PRIMARY": {"BACKEND": f"{__name__}._StalledRedis", "LOCATION": "stalled"},
                "FALLBACK": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
                "RETRY_SECONDS": 0.2,
            }
        },
    )
    _StalledRedis.release.clear()
    _StalledRedis.dead = False
    answers = []
    with caplog.at_level(logging.INFO):
        slow = threading.Thread(target=lambda: answers.append(cache.get("slow")))
        slow.start()
        time.sleep(0.1)  # the slow call is on its way
        _StalledRedis.dead = True
        assert cache.get("other") is None  # fails: the outage begins
        _StalledRedis.release.set()
        slow.join()
        assert answers == ["answered"]
        time.sleep(0.25)
        assert cache.get("other") is None  # still down
        _StalledRedis.dead = False
        time.sleep(0.25)
        cache.get("other")  # a call begun after the failure: Redis is back
    messages = [r.getMessage() for r in caplog.records if r.name == "masthead.redis"]
    assert len(messages) == 2, messages
    assert "unavailable" in messages[0] and "available again" in messages[1], messages


def test_after_an_outage_counters_and_locks_reconcile_into_redis(
    redis_server, fresh_health, caplog
):
    import redis

    with override_settings(CACHES=_caches(redis_server.url)), caplog.at_level(logging.INFO):
        store = state.store()
        before = state.incr("mh:tag:page:1:soft", start=1000)
        redis_server.stop()
        # During the outage: a change bumps the counter, a sign-in lock is taken.
        during = state.incr("mh:tag:page:1:soft", start=5)
        for _ in range(throttle.LOGIN.limit()):
            throttle.LOGIN.hit("editor", "10.0.0.2")
        assert throttle.LOGIN.is_locked("editor", "10.0.0.2")
        assert SharedStateEntry.objects.count() >= 3
        redis_server.start()
        client = redis.Redis(port=redis_server.port)
        client.set("failover-test:state:1:mh:tag:page:1:soft", before)  # as before the outage
        time.sleep(0.3)  # past RETRY_SECONDS
        after = state.incr("mh:tag:page:1:soft")
        # The counter moved past what any copy cached before the outage remembers,
        # the lock held through the outage still holds, and the fallback is empty.
        assert after not in (before, before + 1, during)
        assert throttle.LOGIN.is_locked("editor", "10.0.0.2")
        assert SharedStateEntry.objects.count() == 0
        assert store.redis_is_up
    messages = [r.getMessage() for r in caplog.records if r.name == "masthead.redis"]
    assert sum("unavailable" in m for m in messages) == 1, messages
    assert sum("available again" in m for m in messages) == 1, messages


@pytest.mark.postgres
def test_two_processes_worth_of_threads_take_the_database_lock_once(fresh_health):
    from django.db import connection

    if connection.vendor == "sqlite":
        pytest.skip(
            "the in-memory SQLite test database refuses a second writer ('table is locked') "
            "where a SQLite file waits; the lockout across real processes on a SQLite file "
            "is tests/multiprocess/test_shared_state.py's"
        )
    dead = f"redis://127.0.0.1:{free_port(REDIS_PORTS)}/0"
    won = []
    with override_settings(CACHES=_caches(dead)):
        barrier = threading.Barrier(6)

        def take():
            from django.db import connection

            barrier.wait()
            won.append(bool(state.store().add("mh:one-lock", "1", timeout=60)))
            connection.close()

        threads = [threading.Thread(target=take) for _ in range(6)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(30)
    assert len(won) == 6, f"{6 - len(won)} of 6 threads got no answer"
    assert won.count(True) == 1, won
