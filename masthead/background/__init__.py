"""The one background worker: tasks queued in the database, run beside the scheduler.

Entry points (docs/background.md):

- ``background_task``: decorate a function to make it a task of this worker;
  ``my_task.enqueue(*args)`` queues it (arguments must be JSON values).
- ``every(seconds, function)``: run ``function()`` in the worker about every
  ``seconds`` (checks such as "is a digest due?"); one worker at a time runs it.
- ``stopping()``: a long task checks it between units of work and returns early (after
  queueing its continuation) so a stop (SIGTERM) does not wait for the whole job.
- ``masthead worker`` runs the worker alone; ``masthead serve`` runs it beside the
  scheduler. In tests, ``masthead.background.worker.run_pending()`` runs what is queued.

A task may run again after a kill (SIGKILL, power loss): it must be idempotent, or keep
its own record of what it has done (as the newsletter queue does).
"""

from collections.abc import Callable
from typing import Any

BACKEND = "background"
_stop_requested = False
_worker_id = ""


def background_task(function: Callable | None = None, **options: Any):
    """Return a django-tasks ``Task`` that runs in the background worker."""
    from django_tasks import task

    options.setdefault("backend", BACKEND)
    if function is None:
        return task(**options)
    return task(**options)(function)


def stopping() -> bool:
    """Return whether the worker has been asked to stop (a long task should return)."""
    return _stop_requested


def request_stop(value: bool = True) -> None:
    """Ask the running task to finish early (called by the worker's signal handler)."""
    global _stop_requested
    _stop_requested = value


def current_worker_id() -> str:
    """Return the id of the worker running this task ("" outside the worker)."""
    return _worker_id


def set_worker_id(value: str) -> None:
    global _worker_id
    _worker_id = value


_periodic: dict[str, tuple[float, Callable[[], Any]]] = {}


def every(seconds: float, function: Callable[[], Any]) -> None:
    """Run ``function()`` in the background worker about every ``seconds`` seconds."""
    _periodic[f"{function.__module__}.{function.__qualname__}"] = (seconds, function)


def periodic() -> dict[str, tuple[float, Callable[[], Any]]]:
    return dict(_periodic)
