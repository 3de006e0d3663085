"""A send of 2,000 to a real SMTP server, the worker stopped at random points and
started again: every address receives the issue exactly once.

SIGTERM (how `masthead serve`, systemd and Docker stop the worker) stops after the
message on the wire. SIGKILL cannot be caught: the queue records a message as sent
just before the final line of DATA, the only moment a server can accept it
(masthead/newsletters/mailer.py), so a row a kill left "sending" was never accepted
and is sent again (``resent``) without a duplicate.
"""

import json
import os
import random
import signal
import subprocess
import sys
import time
from collections import Counter

import pytest

from masthead.background.tests import process

from . import smtp
from .test_rendering import ARTIFACTS

pytestmark = [pytest.mark.slow, pytest.mark.faults]
READERS = 2000


def _state(site):
    return json.loads(process.run(["-m", "masthead.newsletters.tests.resume_site", "state"], site))


def _worker(site, port):
    env = process.environment(site)
    env.update(
        {
            "EMAIL_HOST": "127.0.0.1",
            "EMAIL_PORT": str(port),
            "DEFAULT_FROM_EMAIL": "news@ledger.example",
        }
    )
    return subprocess.Popen(
        [sys.executable, "-m", "masthead.cli", "worker"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )


def _wait(predicate, timeout):
    ends = time.monotonic() + timeout
    while time.monotonic() < ends:
        if predicate():
            return True
        time.sleep(0.02)
    return False


@pytest.fixture
def site(tmp_path):
    data = tmp_path / "site"
    data.mkdir()
    out = process.run(["-m", "masthead.newsletters.tests.resume_site", "build", str(READERS)], data)
    assert json.loads(out)["total"] == READERS
    return data


def _stop_at_random_points(site, port, keeper, stop, stops: int, rng, seed) -> list[int]:
    """Start the worker ``stops`` times, stopping it each time at a random point."""
    targets = sorted(rng.sample(range(100, READERS - 100), stops))
    stopped_at = []
    for target in targets:
        worker = _worker(site, port)
        try:
            reached = _wait(lambda t=target: len(keeper.messages) >= t, timeout=300)
            assert reached, f"the worker sent {len(keeper.messages)} of {target} (seed {seed})"
            # Anywhere in a message's round: building, recording, on the wire, answered.
            time.sleep(rng.uniform(0, 0.05))
            worker.send_signal(stop)
            worker.wait(timeout=60)
        finally:
            worker.kill()
            worker.wait()
        stopped_at.append(len(keeper.messages))
        assert stopped_at[-1] < READERS, f"the stop came after the whole send (seed {seed})"
    return stopped_at


@pytest.mark.parametrize(
    ("stop", "stops"), [(signal.SIGTERM, 1), (signal.SIGKILL, 3)], ids=["sigterm", "sigkill"]
)
def test_send_stopped_at_random_points_and_restarted_reaches_everyone_once(site, stop, stops):
    seed = random.randrange(1_000_000)
    rng = random.Random(seed)
    controller, keeper = smtp.start()
    try:
        stopped_at = _stop_at_random_points(site, controller.port, keeper, stop, stops, rng, seed)
        worker = _worker(site, controller.port)
        try:
            assert _wait(lambda: len(keeper.messages) >= READERS, timeout=300), (
                f"only {len(keeper.messages)} of {READERS} arrived after the restart (seed {seed})"
            )
            assert _wait(lambda: _state(site)["status"] == "sent", timeout=120)
        finally:
            worker.send_signal(signal.SIGTERM)
            worker.wait(timeout=60)
    finally:
        controller.stop()

    received = Counter(rcpt for rcpts, _ in keeper.messages for rcpt in rcpts)
    expected = {f"reader{n:05d}@example.org" for n in range(READERS)}
    state = _state(site)
    report = f"stopped at {stopped_at}, resent {state['resent']} (seed {seed})"
    twice = sorted(address for address, n in received.items() if n > 1)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / f"resume-{signal.Signals(stop).name.lower()}.json").write_text(
        json.dumps(
            {"seed": seed, "stopped_at": stopped_at, "resent": state["resent"], "twice": twice},
            indent=1,
        )
    )
    assert set(received) == expected, f"skipped: {sorted(expected - set(received))[:5]}; {report}"
    assert not twice, f"sent twice: {twice}; {report}"
    assert state["counts"] == {"sent": READERS}, report
    # Each kill leaves at most the one message that was on the wire, sent again; a stop
    # leaves none.
    assert len(state["resent"]) <= (stops if stop == signal.SIGKILL else 0), report


class _KillingKeeper(smtp.Keeper):
    """An SMTP server that SIGKILLs the sending worker at chosen moments.

    "before the end": at the Nth recipient named, before DATA's final line is sent.
    "accepted": when the Nth message is kept, before the worker has read the answer
    (the moment a record made after the answer loses).
    """

    def __init__(self, plan: list[tuple[str, int]]):
        super().__init__()
        self.plan, self.worker_pid, self.killed = list(plan), None, []
        self.recipients = 0

    def _maybe_kill(self, moment: str, count: int, address: str) -> None:
        if self.plan and self.plan[0] == (moment, count) and self.worker_pid:
            self.plan.pop(0)
            os.kill(self.worker_pid, signal.SIGKILL)
            self.worker_pid = None
            self.killed.append((moment, address))

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        self.recipients += 1
        self._maybe_kill("before the end", self.recipients, address)
        return await super().handle_RCPT(server, session, envelope, address, rcpt_options)

    async def handle_DATA(self, server, session, envelope):
        answer = await super().handle_DATA(server, session, envelope)
        self._maybe_kill("accepted", len(self.messages), envelope.rcpt_tos[0])
        return answer


def test_kills_at_the_worst_moments_send_nobody_two_copies_and_skip_nobody(tmp_path):
    readers = 200
    data = tmp_path / "site"
    data.mkdir()
    process.run(["-m", "masthead.newsletters.tests.resume_site", "build", str(readers)], data)
    everyone = {f"reader{n:05d}@example.org" for n in range(readers)}
    keeper = _KillingKeeper([("before the end", 60), ("accepted", 120)])
    controller = smtp.Controller(keeper, hostname="127.0.0.1", port=smtp.free_port())
    controller.start()
    try:
        for _ in range(2):
            worker = _worker(data, controller.port)
            keeper.worker_pid = worker.pid
            try:
                assert worker.wait(timeout=300) == -signal.SIGKILL
            finally:
                worker.kill()
                worker.wait()
        assert [moment for moment, _ in keeper.killed] == ["before the end", "accepted"]
        worker = _worker(data, controller.port)
        try:
            arrived = lambda: {r for rcpts, _ in keeper.messages for r in rcpts}  # noqa: E731
            assert _wait(lambda: arrived() >= everyone, timeout=300)
            assert _wait(lambda: _state(data)["status"] == "sent", timeout=120)
        finally:
            worker.send_signal(signal.SIGTERM)
            worker.wait(timeout=60)
    finally:
        controller.stop()
    received = Counter(rcpt for rcpts, _ in keeper.messages for rcpt in rcpts)
    state = _state(data)
    assert set(received) == everyone
    assert max(received.values()) == 1, {a: n for a, n in received.items() if n > 1}
    assert state["counts"] == {"sent": readers}
    # Never accepted: sent again, once. Accepted: recorded before the server took it,
    # so not sent again.
    assert state["resent"] == [keeper.killed[0][1]], (state, keeper.killed)
