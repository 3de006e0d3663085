"""Run the tasks queued in the database, one at a time, until asked to stop.

django-tasks-db keeps the queue (its ``DBTaskResult`` rows) and runs each task; this
loop adds what a newsroom's single worker needs around it:

- a heartbeat row per worker process (``WorkerProcess``), so a task left "running" by a
  worker that was killed (SIGKILL, a crash, a reboot) is queued again: on this machine as
  soon as its process is gone, elsewhere once its heartbeat is older than the lease;
- a graceful stop: SIGTERM or Ctrl-C sets ``masthead.background.stopping()``, the task in
  hand returns at its next check, and the loop exits; a second signal stops at once.
"""

import logging
import os
import signal
import socket
import threading
from datetime import timedelta

from django.conf import settings
from django.db import (
    DatabaseError,
    InterfaceError,
    OperationalError,
    connection,
    connections,
)
from django.db import close_old_connections as _django_close_old_connections
from django.utils import timezone
from django.utils.crypto import get_random_string
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.management.commands.db_worker import Worker as _DBWorker
from django_tasks_db.models import DBTaskResult
from django_tasks_db.utils import exclusive_transaction, is_locked_database_exception

from masthead.core.outages import Outage

from . import BACKEND, periodic, request_stop, set_worker_id, stopping
from .models import WorkerProcess

logger = logging.getLogger("masthead.background")
DATABASE_OUTAGE = Outage(logger, "The database (background worker)")
_wake = threading.Event()


def _hostname() -> str:
    return socket.gethostname()[:255]


def new_worker_id() -> str:
    """Return an id naming this machine, this process and this run."""
    return f"{_hostname()[:40]}:{os.getpid()}:{get_random_string(8)}"


def lease() -> timedelta:
    """Return how long a silent worker on another machine is taken to be alive."""
    return timedelta(seconds=getattr(settings, "MASTHEAD_WORKER_LEASE", 120))


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def dead_worker_ids() -> set[str]:
    """Return the ids of registered workers that are gone.

    A worker on this machine is gone when its process is; one elsewhere when it has not
    written its heartbeat for a lease (a reused process id keeps a dead worker "alive"
    until then, never the other way round).
    """
    cutoff = timezone.now() - lease()
    rows = WorkerProcess.objects.values_list("worker_id", "hostname", "pid", "seen_at")
    host = _hostname()
    return {
        worker_id
        for worker_id, hostname, pid, seen_at in rows
        if seen_at < cutoff or (hostname == host and not _pid_alive(pid))
    }


def is_dead(worker_id: str) -> bool:
    """Return whether ``worker_id`` belongs to no live worker (unknown ids are dead)."""
    if not WorkerProcess.objects.filter(worker_id=worker_id).exists():
        return True
    return worker_id in dead_worker_ids()


def recover_abandoned() -> int:
    """Queue again the tasks that a dead worker left running; return how many."""
    dead = dead_worker_ids()
    if not dead:
        return 0
    recovered = 0
    running = DBTaskResult.objects.filter(
        backend_name=BACKEND, status=TaskResultStatus.RUNNING
    ).only("id", "worker_ids")
    for result in running:
        if result.worker_ids and result.worker_ids[-1] in dead:
            recovered += DBTaskResult.objects.filter(
                pk=result.pk, status=TaskResultStatus.RUNNING
            ).update(status=TaskResultStatus.READY, started_at=None)
    WorkerProcess.objects.filter(worker_id__in=dead).delete()
    if recovered:
        logger.warning("Queued again %d task(s) left running by a stopped worker", recovered)
    return recovered


def _register(worker_id: str, interval: float) -> bool:
    """Write this worker's first heartbeat, waiting while the database is not migrated."""
    warned = False
    while not stopping():
        try:
            WorkerProcess.objects.update_or_create(
                worker_id=worker_id,
                defaults={"hostname": _hostname(), "pid": os.getpid(), "seen_at": timezone.now()},
            )
            return True
        except DatabaseError:
            if not warned:
                logger.warning(
                    "Background worker waiting: the database is not ready or not migrated "
                    "(run `masthead serve --migrate` or `masthead manage migrate`)."
                )
                warned = True
            close_old_connections()
            _wake.wait(max(interval, 1.0))
            _wake.clear()
    return False


class _Heartbeat(threading.Thread):
    """Write the worker's heartbeat while a long task holds the main thread."""

    def __init__(self, worker_id: str, every: float):
        super().__init__(name="masthead-worker-heartbeat", daemon=True)
        self.worker_id, self.every, self.done = worker_id, every, threading.Event()

    def run(self) -> None:
        try:
            while not self.done.wait(self.every):
                try:
                    WorkerProcess.objects.filter(worker_id=self.worker_id).update(
                        seen_at=timezone.now()
                    )
                except OperationalError:
                    logger.warning("Worker heartbeat could not be written; trying again")
        finally:
            connections.close_all()


def _claim_next(worker_id: str) -> DBTaskResult | None:
    tasks = DBTaskResult.objects.ready().filter(backend_name=BACKEND)
    with exclusive_transaction(tasks.db):
        try:
            result = tasks.get_locked()
            if result is not None:
                result.claim(worker_id)
        except OperationalError as exc:
            if is_locked_database_exception(exc):
                return None
            raise
    return result


def run_periodic(last_run: dict[str, float]) -> int:
    """Run each function registered with ``every()`` that is due; return how many ran.

    A lock in the shared store lets one worker of several run each at a time; a failure
    is logged and the next pass tries again.
    """
    import time

    from masthead.core import state

    ran = 0
    now = time.monotonic()
    for name, (seconds, function) in periodic().items():
        if now - last_run.get(name, float("-inf")) < seconds:
            continue
        last_run[name] = now
        lock = f"masthead:periodic:{name}"
        if not state.store().add(lock, 1, timeout=max(60, int(seconds))):
            continue
        try:
            function()
            ran += 1
        except (OperationalError, InterfaceError):
            # The database is away: the worker's loop logs the outage once and waits.
            raise
        except Exception:
            logger.exception("Periodic task %s failed", name)
        finally:
            state.store().delete(lock)
    return ran


def _runner(worker_id: str) -> _DBWorker:
    return _DBWorker(
        queue_names=["*"],
        interval=0,
        batch=True,
        backend_name=BACKEND,
        startup_delay=False,
        max_tasks=None,
        worker_id=worker_id,
        excluded_queue_names=[],
    )


def close_old_connections() -> None:
    """Django's ``close_old_connections``, except inside a transaction of the caller.

    ``run_pending`` runs in the caller's process: a test (or a command) holding a
    transaction would otherwise have its connection closed under it (PostgreSQL: "the
    connection is closed"; SQLite's in-memory test database is never closed).
    """
    if not connection.in_atomic_block:
        _django_close_old_connections()


def run(interval: float = 1.0, once: bool = False) -> int:
    """Run queued tasks until asked to stop (or, with ``once``, until none is ready).

    Return the number of tasks run.
    """
    worker_id = new_worker_id()
    if not _register(worker_id, interval):
        return 0
    set_worker_id(worker_id)
    heartbeat = _Heartbeat(worker_id, max(1.0, lease().total_seconds() / 4))
    heartbeat.start()
    runner = _runner(worker_id)
    done = 0
    last_recovery = None
    last_periodic: dict[str, float] = {}
    try:
        while not stopping():
            close_old_connections()
            now = timezone.now()
            try:
                if last_recovery is None or now - last_recovery > timedelta(seconds=10):
                    recover_abandoned()
                    last_recovery = now
                run_periodic(last_periodic)
                result = _claim_next(worker_id)
                DATABASE_OUTAGE.recovered()
            except (OperationalError, InterfaceError) as exc:
                # The database is restarting or full: wait for it, with one log line per
                # outage; the queue lives in the database, so nothing is lost meanwhile.
                DATABASE_OUTAGE.failed(f"{type(exc).__name__}: {str(exc).strip()[:200]}")
                connections.close_all()
                if once:
                    break
                _wake.wait(max(1.0, interval))
                _wake.clear()
                continue
            if result is not None:
                logger.info("Running task %s (%s)", result.task_path, result.id)
                runner.run_task(result)
                done += 1
                continue
            if once:
                break
            _wake.wait(interval)
            _wake.clear()
    finally:
        set_worker_id("")
        heartbeat.done.set()
        heartbeat.join(timeout=5)
        try:
            WorkerProcess.objects.filter(worker_id=worker_id).delete()
        except (OperationalError, InterfaceError):
            logger.warning("Worker %s could not sign off; its record expires", worker_id)
        close_old_connections()
    return done


def run_pending() -> int:
    """Run every task that is ready now in this process; return how many ran."""
    request_stop(False)
    return run(interval=0, once=True)


def install_signal_handlers() -> None:
    """Make SIGTERM and SIGINT stop the worker after the task in hand returns."""

    def stop(signum, frame):
        logger.warning("Worker stopping (%s): finishing the task in hand", signal.strsignal(signum))
        request_stop()
        _wake.set()
        # A second signal stops the process at once; a task it interrupts runs again.
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        signal.signal(signal.SIGINT, signal.SIG_DFL)

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
