"""One progress bar for long commands: counts, rate and time left, terminal or log.

On a terminal the bar is redrawn in place at most five times a second. When the
output is a file or a pipe (cron, CI logs) a plain line is printed every tenth of the
way instead, so logs stay readable.
"""

import sys
import time
from collections.abc import Callable
from typing import TextIO


class ProgressBar:
    """A one-line bar: ``label [####....] done/total  extra  rate/s  left m:ss``.

    ``extra`` is a callable returning text drawn after the counts (the importer
    shows created / updated / skipped there). ``start`` begins a new phase.
    """

    def __init__(
        self,
        stream: TextIO | None = None,
        width: int = 24,
        extra: Callable[[], str] | None = None,
        enabled: bool = True,
    ):
        self.stream = stream if stream is not None else sys.stderr
        self.width = width
        self.extra = extra
        self.enabled = enabled
        self.tty = hasattr(self.stream, "isatty") and self.stream.isatty()
        self.label = ""
        self.total = 0
        self.started = 0.0
        self.last_draw = 0.0
        self.last_step = -1
        self.done = 0

    def start(self, label: str, total: int) -> None:
        """Begin a phase of ``total`` steps called ``label``."""
        self.label, self.total = label, total
        self.started = time.monotonic()
        self.last_draw = 0.0
        self.last_step = -1
        self.done = 0

    def line(self, done: int) -> str:
        """Return the bar's text after ``done`` steps."""
        elapsed = time.monotonic() - self.started
        finished = done >= self.total
        # A rate taken over the first instants says nothing: wait a second for it.
        rate = done / elapsed if elapsed >= 1 else 0.0
        left = (self.total - done) / rate if rate > 0 else 0.0
        filled = min(self.width, int(self.width * done / self.total)) if self.total else self.width
        extra = self.extra() if self.extra else ""
        extra = f"  {extra}" if extra else ""
        return (
            f"  {self.label:<11}[{'#' * filled}{'.' * (self.width - filled)}] "
            f"{done}/{self.total}{extra}  "
            + (f"{rate:.0f}/s  " if rate else "")
            + (
                f"took {duration(elapsed)}"
                if finished
                else f"left {duration(left) if rate else '?'}"
            )
        )

    def update(self, done: int) -> None:
        """Show that ``done`` steps of the phase are finished."""
        self.done = done
        if not self.enabled:
            return
        now = time.monotonic()
        finished = done >= self.total
        if self.tty:
            if finished or now - self.last_draw >= 0.2:
                self.stream.write("\r" + self.line(done) + ("\n" if finished else ""))
                self.stream.flush()
                self.last_draw = now
            return
        step = (10 * done // self.total) if self.total else 10
        if step != self.last_step:
            self.last_step = step
            self.stream.write(self.line(done) + "\n")
            self.stream.flush()

    def callback(self, label: str) -> Callable[[int, int], None]:
        """Return a ``progress(done, total)`` function drawing this bar as ``label``."""

        def progress(done: int, total: int) -> None:
            if self.label != label or self.total != total or done < self.done:
                ProgressBar.start(self, label, total)  # the plain phase, whatever the subclass
            self.update(done)

        return progress


def duration(seconds: float) -> str:
    """Return ``seconds`` as m:ss, or h:mm:ss past an hour."""
    seconds = int(seconds + 0.5)
    minutes, seconds = divmod(seconds, 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours}:{minutes:02d}:{seconds:02d}" if hours else f"{minutes}:{seconds:02d}"
