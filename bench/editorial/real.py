"""Score the checks on copy with placed mistakes, and the noise on copy as published.

Two measurements, the same for the published Wikinews stories and for our own clean
stories, so the tables sit side by side:

- recall per class of placed mistake (``placed.CLASSES``): a placed mistake counts as
  found when a finding of the expected check covers its span; for ``staff_name`` a
  finding that "corrects" the story's person to a staffer (the trap) is counted too;
- findings per 1,000 words on the copy as published. Each finding on the published
  copy was read and judged (``published_judgements.tsv``): a real mistake in the
  source counts for the checks, anything else is noise. A finding nobody has judged yet
  counts as noise until somebody does. Completeness findings are left out: they are
  about fields the source has no room for (a standfirst, alt text), not about its text.
"""

import csv
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from masthead.editorial.engine import run_checks
from masthead.editorial.findings import CHECKS, Finding
from masthead.editorial.lexicon import Lexicon
from masthead.editorial.story import Story

from .placed import CLASSES, Placed, place_all

JUDGEMENTS_FILE = Path(__file__).resolve().parent / "published_judgements.tsv"
REAL, NOISE = "real", "noise"


def site_default_levels() -> dict[str, str]:
    """Return the levels a new site starts with (EditorialSettings' field defaults)."""
    from masthead.editorial.models import EditorialSettings

    return {check: EditorialSettings._meta.get_field(check).default for check in CHECKS}


def judgement_key(story_key: str, finding: Finding) -> tuple[str, str, str]:
    return (story_key, finding.rule, finding.text)


def load_judgements(path: Path = JUDGEMENTS_FILE) -> dict[tuple[str, str, str], tuple[str, str]]:
    """Return (story, rule, text) -> (verdict, reason) from the judgements file."""
    judgements = {}
    with path.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE):
            judgements[(row["story"], row["rule"], row["text"])] = (row["verdict"], row["reason"])
    return judgements


@dataclass
class Recall:
    placed: Counter = field(default_factory=Counter)
    found: Counter = field(default_factory=Counter)
    by_change: Counter = field(default_factory=Counter)
    found_by_change: Counter = field(default_factory=Counter)
    traps: int = 0  # staff_name stories
    trap_fired: int = 0  # findings that "corrected" the story's person to a staffer
    missed: list = field(default_factory=list)

    def recall(self, kind: str) -> float:
        return self.found[kind] / self.placed[kind] if self.placed[kind] else 0.0


def _covers(finding: Finding, placed: Placed) -> bool:
    return (
        finding.check == placed.check
        and finding.field == placed.field
        and finding.start < placed.end
        and placed.start < finding.end
    )


def measure_recall(stories: list[tuple[str, Story]]) -> Recall:
    """Place every class of mistake the stories allow and count the ones found."""
    scores = Recall()
    for placed in place_all(stories):
        findings = run_checks(placed.story, placed.lexicon)
        found = any(_covers(f, placed) for f in findings)
        scores.placed[placed.kind] += 1
        scores.found[placed.kind] += found
        scores.by_change[(placed.kind, placed.change)] += 1
        scores.found_by_change[(placed.kind, placed.change)] += found
        if not found:
            scores.missed.append(placed)
        if placed.kind == "staff_name":
            scores.traps += 1
            scores.trap_fired += any(
                f.check == "names" and placed.trap and f.text == placed.trap for f in findings
            )
    return scores


@dataclass
class Noise:
    words: int = 0
    findings: list = field(default_factory=list)  # (story key, finding, verdict, reason)

    def count(self, verdict: str | None = None, blocking: bool | None = None) -> int:
        return sum(
            1
            for _key, finding, found_verdict, _reason in self.findings
            if (verdict is None or found_verdict == verdict)
            and (blocking is None or finding.blocking == blocking)
        )

    def per_1000(self, verdict: str | None = None) -> float:
        return 1000 * self.count(verdict) / self.words if self.words else 0.0

    @property
    def unjudged(self) -> list:
        return [item for item in self.findings if item[2] not in (REAL, NOISE)]

    def noise_per_1000(self) -> float:
        """Return findings per 1,000 words that are not real mistakes (unjudged included)."""
        return 1000 * (len(self.findings) - self.count(REAL)) / self.words if self.words else 0.0


def measure_noise(
    stories: list[tuple[str, Story]],
    judgements: dict | None = None,
    lexicon: Lexicon | None = None,
) -> Noise:
    """Run the checks on copy as published and judge each finding.

    Without ``judgements`` (our own clean copy, written to have no mistakes) every
    finding is noise. ``lexicon`` is the newsroom's dictionary (none for copy from
    elsewhere: a newsroom that has learnt nothing yet).
    """
    levels = site_default_levels()
    noise = Noise()
    for key, story in stories:
        noise.words += story.word_count
        for finding in run_checks(story, lexicon or Lexicon(), levels):
            if finding.check == "completeness" or finding.rule.endswith("internal_error"):
                continue
            verdict, reason = (judgements or {}).get(judgement_key(key, finding), ("", ""))
            if judgements is None:
                verdict = NOISE
            noise.findings.append((key, finding, verdict or "unjudged", reason))
    return noise


def published() -> list[tuple[str, Story]]:
    from .published import published_stories

    return [(item.key, item.story) for item in published_stories()]


def own_clean() -> list[tuple[str, Story]]:
    """Return our own clean stories: the generated clean ones and the hand-written ones."""
    from .clean_stories import handwritten_corpus
    from .corpus import build_corpus

    items = [item for item in build_corpus() if not item.seeded] + handwritten_corpus()
    return [(item.key, item.story) for item in items]


def recall_table(published_recall: Recall, own_recall: Recall) -> str:
    lines = [
        "| class | published: placed | found | recall | own corpus: placed | found | recall |",
        "|---|---|---|---|---|---|---|",
    ]
    for kind in CLASSES:
        lines.append(
            f"| {kind} | {published_recall.placed[kind]} | {published_recall.found[kind]} | "
            f"{published_recall.recall(kind):.3f} | {own_recall.placed[kind]} | "
            f"{own_recall.found[kind]} | {own_recall.recall(kind):.3f} |"
        )
    return "\n".join(lines)


def noise_table(published_noise: Noise, own_noise: Noise) -> str:
    lines = [
        "| copy as published | words | findings | per 1,000 words | real mistakes | "
        "rejected (noise + unjudged) per 1,000 words | blocking noise |",
        "|---|---|---|---|---|---|---|",
    ]
    for name, noise in (
        ("published (Wikinews 2019)", published_noise),
        ("own corpus (clean)", own_noise),
    ):
        rejected_blocking = sum(
            1 for _k, f, verdict, _r in noise.findings if f.blocking and verdict != REAL
        )
        lines.append(
            f"| {name} | {noise.words:,} | {len(noise.findings)} | {noise.per_1000():.2f} | "
            f"{noise.count(REAL)} | {noise.noise_per_1000():.2f} | {rejected_blocking} |"
        )
    return "\n".join(lines)
