"""Tasks for the worker's tests (importable by a worker in another process)."""

import os
import time
from pathlib import Path

from masthead.background import background_task, stopping


@background_task
def add(a: int, b: int) -> int:
    return a + b


@background_task
def write_mark(name: str) -> str:
    """Append ``name`` to a file in the data folder, so another process can see it ran."""
    path = Path(os.environ["MASTHEAD_DATA_DIR"]) / "marks.txt"
    with path.open("a") as handle:
        handle.write(name + "\n")
    return name


@background_task
def long_job(seconds: float) -> str:
    """Work in small steps until done or until the worker is asked to stop."""
    mark = Path(os.environ["MASTHEAD_DATA_DIR"]) / "long-job-started"
    mark.write_text("started")
    ends = time.monotonic() + seconds
    while time.monotonic() < ends:
        if stopping():
            return "stopped early"
        time.sleep(0.05)
    return "finished"
