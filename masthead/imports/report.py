"""The progress bar shown during an import and the report printed at its end."""

import json
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from typing import TextIO

OUTCOMES = ("created", "updated", "unchanged", "skipped")
PLURALS = {"story": "stories", "other": "other"}


@dataclass
class Report:
    """What an import run did: counts per kind and outcome, and every reason."""

    dry_run: bool = False
    counts: Counter = field(default_factory=Counter)
    skipped: list[tuple[str, str, str]] = field(default_factory=list)  # kind, label, reason
    notes: list[tuple[str, str]] = field(default_factory=list)  # label, note

    def count(self, kind: str, outcome: str) -> None:
        self.counts[(kind, outcome)] += 1

    def skip(self, kind: str, label: str, reason: str) -> None:
        self.counts[(kind, "skipped")] += 1
        self.skipped.append((kind, label, reason))

    def note(self, label: str, text: str) -> None:
        self.notes.append((label, text))

    def total(self, kind: str, outcome: str) -> int:
        return self.counts[(kind, outcome)]

    def as_dict(self) -> dict:
        kinds = sorted({kind for kind, _ in self.counts})
        return {
            "dry_run": self.dry_run,
            "counts": {k: {o: self.counts[(k, o)] for o in OUTCOMES} for k in kinds},
            "skipped": [{"kind": k, "item": label, "reason": r} for k, label, r in self.skipped],
            "notes": [{"item": label, "note": text} for label, text in self.notes],
        }

    def write_json(self, path: str) -> None:
        with open(path, "w", encoding="utf-8") as handle:
            json.dump(self.as_dict(), handle, ensure_ascii=False, indent=1)

    def render(self, examples: int = 10) -> str:
        """Return the end-of-run report as text, grouping repeated reasons."""
        lines = ["Dry run: nothing was saved." if self.dry_run else "Import finished."]
        kinds = sorted({kind for kind, _ in self.counts})
        for kind in kinds:
            parts = ", ".join(f"{self.counts[(kind, o)]} {o}" for o in OUTCOMES)
            lines.append(f"  {PLURALS.get(kind, kind + 's'):<9} {parts}")
        for title, rows in (
            ("Skipped", [(label, f"{reason}") for _, label, reason in self.skipped]),
            ("Warnings", self.notes),
        ):
            if not rows:
                continue
            lines.append(f"{title} ({len(rows)}):")
            by_reason: dict[str, list[str]] = {}
            for label, reason in rows:
                by_reason.setdefault(reason, []).append(label)
            for reason, labels in sorted(by_reason.items(), key=lambda kv: -len(kv[1])):
                shown = "; ".join(labels[:examples])
                more = f"; and {len(labels) - examples} more" if len(labels) > examples else ""
                lines.append(f"  - {reason} [{len(labels)}: {shown}{more}]")
        return "\n".join(lines)


class ProgressBar:
    """A one-line bar with counts and time left, redrawn at most five times a second.

    When the output is not a terminal, a plain line is printed every tenth of the way,
    so logs stay readable.
    """

    def __init__(self, report: Report, stream: TextIO | None = None, width: int = 24):
        self.report = report
        self.stream = stream if stream is not None else sys.stderr
        self.width = width
        self.tty = hasattr(self.stream, "isatty") and self.stream.isatty()
        self.label = ""
        self.total = 0
        self.kind = ""
        self.started = 0.0
        self.last_draw = 0.0
        self.last_step = -1

    def start(self, label: str, kind: str, total: int) -> None:
        self.label, self.kind, self.total = label, kind, total
        self.started = time.monotonic()
        self.last_draw = 0.0
        self.last_step = -1

    def line(self, done: int) -> str:
        elapsed = time.monotonic() - self.started
        rate = done / elapsed if elapsed > 0 else 0.0
        left = (self.total - done) / rate if rate > 0 else 0.0
        filled = int(self.width * done / self.total) if self.total else self.width
        counts = " ".join(f"{o} {self.report.counts[(self.kind, o)]}" for o in OUTCOMES)
        return (
            f"  {self.label:<11}[{'#' * filled}{'.' * (self.width - filled)}] "
            f"{done}/{self.total}  {counts}  {rate:.0f}/s  "
            f"{'left' if done < self.total else 'took'} {_duration(left if done < self.total else elapsed)}"
        )

    def update(self, done: int) -> None:
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


def _duration(seconds: float) -> str:
    seconds = int(seconds + 0.5)
    minutes, seconds = divmod(seconds, 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours}:{minutes:02d}:{seconds:02d}" if hours else f"{minutes}:{seconds:02d}"
