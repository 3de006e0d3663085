"""Score the checks on the labelled corpus: precision and recall per check."""

import time
from collections import Counter
from dataclasses import dataclass, field

from masthead.editorial.engine import run_checks
from masthead.editorial.findings import CHECKS, Finding
from masthead.editorial.lexicon import Lexicon

from .corpus import CorpusStory, Label


@dataclass
class Scores:
    true_positives: Counter = field(default_factory=Counter)  # findings matching a label
    findings: Counter = field(default_factory=Counter)
    labels: Counter = field(default_factory=Counter)
    found_labels: Counter = field(default_factory=Counter)
    missed: list = field(default_factory=list)
    false: list = field(default_factory=list)
    clean_words: int = 0
    clean_false: int = 0
    seconds: float = 0.0

    def precision(self, check: str) -> float:
        n = self.findings[check]
        return self.true_positives[check] / n if n else 1.0

    def recall(self, check: str) -> float:
        n = self.labels[check]
        return self.found_labels[check] / n if n else 1.0

    @property
    def clean_false_per_1000_words(self) -> float:
        return 1000 * self.clean_false / self.clean_words if self.clean_words else 0.0

    def table(self) -> str:
        lines = ["| check | labels | findings | precision | recall |", "|---|---|---|---|---|"]
        for check in CHECKS:
            lines.append(
                f"| {check} | {self.labels[check]} | {self.findings[check]} | "
                f"{self.precision(check):.3f} | {self.recall(check):.3f} |"
            )
        return "\n".join(lines)


def matches(finding: Finding, label: Label) -> bool:
    if finding.check != label.check:
        return False
    if label.rule.startswith("completeness."):
        return finding.rule == label.rule
    if finding.field != label.field:
        return False
    return finding.start < label.end and label.start < finding.end


def evaluate(corpus: list[CorpusStory], lexicon: Lexicon) -> Scores:
    """Run every check on every story and compare the findings with the labels."""
    scores = Scores()
    started = time.perf_counter()
    for item in corpus:
        findings = [
            f for f in run_checks(item.story, lexicon) if not f.rule.endswith("internal_error")
        ]
        for label in item.labels:
            scores.labels[label.check] += 1
            if any(matches(f, label) for f in findings):
                scores.found_labels[label.check] += 1
            else:
                scores.missed.append((item.key, label))
        for finding in findings:
            scores.findings[finding.check] += 1
            if any(matches(finding, label) for label in item.labels):
                scores.true_positives[finding.check] += 1
            else:
                scores.false.append((item.key, finding))
        if not item.seeded:
            scores.clean_words += item.story.word_count
            scores.clean_false += len(findings)
    scores.seconds = time.perf_counter() - started
    return scores
