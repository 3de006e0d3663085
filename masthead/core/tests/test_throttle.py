"""Throttles count in the shared store: exact across processes, locks once, expire."""

from masthead.core import state
from masthead.core.throttle import Throttle

from . import forking


def _fail_many(args):
    subject, times = args
    throttle = Throttle("t", limit=10, window=60)
    return [throttle.fail(subject).locked_now for _ in range(times)]


def test_the_lock_comes_at_exactly_the_limit():
    throttle = Throttle("t", limit=3, window=60)
    assert throttle.check("ines|10.0.0.1").allowed
    assert throttle.fail("ines|10.0.0.1").allowed
    assert throttle.fail("ines|10.0.0.1").allowed
    third = throttle.fail("ines|10.0.0.1")
    assert not third.allowed and third.locked_now and third.failures == 3
    assert 0 < third.retry_after <= 60
    assert not throttle.check("ines|10.0.0.1").allowed
    assert throttle.check("ines|10.0.0.2").allowed  # another subject


def test_failures_from_four_processes_are_counted_together():
    # 4 processes x 4 failures = 16 against a limit of 10: locked, and by exactly one.
    with forking.pool(4) as pool:
        results = pool.map(_fail_many, [("race", 4)] * 4)
    throttle = Throttle("t", limit=10, window=60)
    assert not throttle.check("race").allowed
    assert sum(flag for flags in results for flag in flags) == 1
    assert state.store().get(throttle._key("fail", "race")) == 16


def test_reset_forgets_failures_and_lock():
    throttle = Throttle("t", limit=1, window=60)
    assert not throttle.fail("x").allowed
    throttle.reset("x")
    assert throttle.check("x").allowed
    assert throttle.fail("x").failures == 1


def test_an_expired_lock_allows_again(monkeypatch):
    import time

    throttle = Throttle("t", limit=1, window=60)
    throttle.fail("x")
    now = time.time()
    monkeypatch.setattr(time, "time", lambda: now + 61)
    assert throttle.check("x").allowed


def test_subjects_are_not_stored_in_clear():
    throttle = Throttle("t", limit=5, window=60)
    assert "ines" not in throttle._key("fail", "ines|10.0.0.1")
