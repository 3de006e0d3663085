"""`masthead worker` in its own process: runs what another process queued, stops
gracefully on SIGTERM, and after a SIGKILL the next worker runs the task again."""

import json
import signal
import subprocess
import sys
import time

import pytest

from tests.migrated import place

from . import process

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def site(tmp_path_factory, migrated_sqlite):
    data = tmp_path_factory.mktemp("worker-site")
    if migrated_sqlite is not None:
        return place(migrated_sqlite, data)
    return process.migrated(data)


def _start_worker(site):
    return subprocess.Popen(
        [sys.executable, "-m", "masthead.cli", "worker"],
        env=process.environment(site),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )


def _status(site, task_id):
    return json.loads(
        process.run(["-m", "masthead.background.tests.process", "status", task_id], site)
    )


def _wait(predicate, timeout=60.0):
    ends = time.monotonic() + timeout
    while time.monotonic() < ends:
        if predicate():
            return True
        time.sleep(0.2)
    return False


def _enqueue(site, *args):
    return process.run(["-m", "masthead.background.tests.process", "enqueue", *args], site)


def test_worker_runs_queued_task_and_stops_gracefully_on_sigterm(site):
    marked = _enqueue(site, "write_mark", '"first"')
    long_id = _enqueue(site, "long_job", "120")
    worker = _start_worker(site)
    try:
        assert _wait(lambda: (site / "long-job-started").exists()), "long job never started"
        assert (site / "marks.txt").read_text() == "first\n"
        assert _status(site, marked)["status"] == "SUCCESSFUL"
        worker.send_signal(signal.SIGTERM)
        assert worker.wait(timeout=20) == 0
    finally:
        worker.kill()
        worker.wait()
    # The long task returned at its next check instead of holding the stop for minutes.
    assert _status(site, long_id) == {"status": "SUCCESSFUL", "return_value": "stopped early"}


def test_task_of_a_killed_worker_runs_again_in_the_next(site):
    (site / "long-job-started").unlink(missing_ok=True)
    long_id = _enqueue(site, "long_job", "2")
    worker = _start_worker(site)
    try:
        assert _wait(lambda: (site / "long-job-started").exists()), "long job never started"
        worker.send_signal(signal.SIGKILL)
        worker.wait(timeout=20)
    finally:
        worker.kill()
        worker.wait()
    assert _status(site, long_id)["status"] == "RUNNING"
    (site / "long-job-started").unlink()
    worker = _start_worker(site)
    try:
        assert _wait(lambda: _status(site, long_id)["status"] == "SUCCESSFUL", timeout=90)
    finally:
        worker.send_signal(signal.SIGTERM)
        worker.wait(timeout=20)
    assert _status(site, long_id)["return_value"] == "finished"
    assert (site / "long-job-started").exists()
