"""The background worker runs queued tasks and queues again those a dead worker left."""

import pytest
from django.utils import timezone
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from masthead.background import BACKEND, worker
from masthead.background.models import WorkerProcess

from .tasks import add

pytestmark = pytest.mark.django_db


def _dead_pid() -> int:
    import subprocess
    import sys

    process = subprocess.Popen([sys.executable, "-c", "pass"])
    process.wait()
    return process.pid


def test_queued_task_runs_once_in_the_worker():
    result = add.enqueue(2, 3)
    assert DBTaskResult.objects.get(pk=result.id).status == TaskResultStatus.READY
    assert worker.run_pending() == 1
    row = DBTaskResult.objects.get(pk=result.id)
    assert row.status == TaskResultStatus.SUCCESSFUL
    assert row.return_value == 5
    assert worker.run_pending() == 0
    # The worker removed its heartbeat row when it stopped.
    assert not WorkerProcess.objects.exists()


def test_tasks_go_to_the_database_queue_not_the_immediate_backend():
    assert add.backend == BACKEND
    add.enqueue(1, 1)
    assert DBTaskResult.objects.filter(status=TaskResultStatus.READY).count() == 1


def _left_running(worker_id: str) -> DBTaskResult:
    result = add.enqueue(4, 4)
    row = DBTaskResult.objects.get(pk=result.id)
    row.claim(worker_id)
    return row


def test_task_left_running_by_a_killed_worker_on_this_machine_runs_again():
    WorkerProcess.objects.create(
        worker_id="gone", hostname=worker._hostname(), pid=_dead_pid(), seen_at=timezone.now()
    )
    row = _left_running("gone")
    assert worker.run_pending() == 1
    row.refresh_from_db()
    assert row.status == TaskResultStatus.SUCCESSFUL
    assert row.return_value == 8
    assert not WorkerProcess.objects.filter(worker_id="gone").exists()


def test_task_of_a_silent_worker_elsewhere_runs_again_after_the_lease(settings):
    settings.MASTHEAD_WORKER_LEASE = 60
    WorkerProcess.objects.create(
        worker_id="elsewhere",
        hostname="another-machine",
        pid=1,
        seen_at=timezone.now() - timezone.timedelta(seconds=61),
    )
    row = _left_running("elsewhere")
    assert worker.run_pending() == 1
    row.refresh_from_db()
    assert row.status == TaskResultStatus.SUCCESSFUL


def test_task_of_a_live_worker_is_left_alone(settings):
    settings.MASTHEAD_WORKER_LEASE = 60
    import os

    WorkerProcess.objects.create(
        worker_id="alive", hostname=worker._hostname(), pid=os.getpid(), seen_at=timezone.now()
    )
    WorkerProcess.objects.create(
        worker_id="busy-elsewhere", hostname="another-machine", pid=1, seen_at=timezone.now()
    )
    first, second = _left_running("alive"), _left_running("busy-elsewhere")
    assert worker.run_pending() == 0
    for row in (first, second):
        row.refresh_from_db()
        assert row.status == TaskResultStatus.RUNNING
    assert not worker.is_dead("alive")
    assert worker.is_dead("never-registered")


def test_periodic_functions_run_in_the_worker_one_worker_at_a_time(monkeypatch):
    from masthead import background
    from masthead.core import state

    calls = []

    def check():
        calls.append(1)

    monkeypatch.setattr(background, "_periodic", {})
    background.every(3600, check)
    worker.run_pending()
    assert calls == [1]
    # Another worker holds the lock: this one skips its turn.
    state.store().add("masthead:periodic:" + next(iter(background.periodic())), 1, 60)
    worker.run_pending()
    assert calls == [1]
