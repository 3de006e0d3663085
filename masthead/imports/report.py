"""The report printed at the end of an import, and the progress bar showing its counts."""

import json
from collections import Counter
from dataclasses import dataclass, field
from typing import TextIO

from masthead.core import progress

OUTCOMES = ("created", "updated", "unchanged", "skipped")
# What a note says happened to part of an item (masthead.imports.convert's kinds).
NOTE_KINDS = {
    "dropped": "Dropped (not on the new page)",
    "kept as text": "Kept as text (words kept, structure or function not)",
    "changed": "Changed (kept in another form, or shortened)",
}
PLURALS = {"story": "stories", "other": "other"}


@dataclass
class Report:
    """What an import run did: counts per kind and outcome, and every reason."""

    dry_run: bool = False
    counts: Counter = field(default_factory=Counter)
    skipped: list[tuple[str, str, str]] = field(default_factory=list)  # kind, label, reason
    notes: list[tuple[str, str]] = field(default_factory=list)  # label, note
    note_kinds: list[str] = field(default_factory=list)  # one per note: a NOTE_KINDS key
    # label -> block type -> number of blocks, for items whose body was converted.
    converted: dict[str, Counter] = field(default_factory=dict)

    def count(self, kind: str, outcome: str) -> None:
        self.counts[(kind, outcome)] += 1

    def skip(self, kind: str, label: str, reason: str) -> None:
        self.counts[(kind, "skipped")] += 1
        self.skipped.append((kind, label, reason))

    def note(self, label: str, text: str, kind: str = "changed") -> None:
        self.notes.append((label, text))
        self.note_kinds.append(kind if kind in NOTE_KINDS else "changed")

    def posts(self) -> list[dict]:
        """Return, per item with notes, what did not come over one to one and why."""
        items: dict[str, dict] = {}
        for (label, text), kind in zip(self.notes, self.note_kinds, strict=True):
            entry = items.setdefault(label, {"item": label, **{k: [] for k in NOTE_KINDS}})
            entry[kind].append(text)
        for label, entry in items.items():
            entry["blocks"] = dict(self.converted.get(label, {}))
        return list(items.values())

    def total(self, kind: str, outcome: str) -> int:
        return self.counts[(kind, outcome)]

    def as_dict(self) -> dict:
        kinds = sorted({kind for kind, _ in self.counts})
        return {
            "dry_run": self.dry_run,
            "counts": {k: {o: self.counts[(k, o)] for o in OUTCOMES} for k in kinds},
            "skipped": [{"kind": k, "item": label, "reason": r} for k, label, r in self.skipped],
            "notes": [
                {"item": label, "note": text, "kind": kind}
                for (label, text), kind in zip(self.notes, self.note_kinds, strict=True)
            ],
            "posts": self.posts(),
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
        sections = [("Skipped", [(label, f"{reason}") for _, label, reason in self.skipped])]
        for kind, title in NOTE_KINDS.items():
            rows = [n for n, k in zip(self.notes, self.note_kinds, strict=True) if k == kind]
            sections.append((title, rows))
        for title, rows in sections:
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


class ProgressBar(progress.ProgressBar):
    """The shared progress bar, showing the report's counts for the phase's kind.

    Phases started through ``callback`` (index updates after the import) show no counts.
    """

    def __init__(self, report: Report, stream: TextIO | None = None, width: int = 24):
        super().__init__(stream, width, extra=self.counts)
        self.report = report
        self.kind = ""

    def counts(self) -> str:
        if not self.kind:
            return ""
        return " ".join(f"{o} {self.report.counts[(self.kind, o)]}" for o in OUTCOMES)

    def start(self, label: str, kind: str, total: int) -> None:  # type: ignore[override]
        super().start(label, total)
        self.kind = kind

    def callback(self, label: str):
        self.kind = ""
        return super().callback(label)
