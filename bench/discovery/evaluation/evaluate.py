"""Measure related-story quality on the labelled corpus: precision@k.

Run: ``python -m bench.discovery.evaluation.evaluate`` (needs no database).
A related story is right when it belongs to the same running story.
"""

import sys
import time
from collections import Counter

from masthead.discovery.similarity import MemoryIndex

from .corpus import generate


def precision_at_k(stories, k: int = 3) -> dict:
    """Return precision@k over all stories, overall and per running story."""
    labels = {story.text.key: story.storyline for story in stories}
    index = MemoryIndex(story.text for story in stories)
    hits, shown = Counter(), Counter()
    for story in stories:
        for key, _ in index.related(story.text.key, k):
            shown[story.storyline] += 1
            hits[story.storyline] += labels[key] == story.storyline
    total = sum(shown.values())
    return {
        "stories": len(stories),
        "storylines": len(shown),
        "k": k,
        "precision": sum(hits.values()) / total if total else 0.0,
        "per_storyline": {line: hits[line] / shown[line] for line in sorted(shown)},
    }


def tags_only_precision(stories, k: int = 3) -> float:
    """Return precision@k of ranking by shared topics, then closeness in time.

    The baseline the reference site used: it shows how much content similarity adds.
    """
    hits = shown = 0
    for story in stories:
        mine = set(story.text.topics)
        others = [s for s in stories if s is not story]
        others.sort(
            key=lambda s: (
                -len(mine & set(s.text.topics)),
                abs((s.text.published_at - story.text.published_at).total_seconds()),
            )
        )
        for other in others[:k]:
            shown += 1
            hits += other.storyline == story.storyline
    return hits / shown if shown else 0.0


def main() -> None:
    started = time.perf_counter()
    stories = generate()
    result = precision_at_k(stories, 3)
    elapsed = time.perf_counter() - started
    out = sys.stdout
    out.write(
        f"{result['stories']} stories in {result['storylines']} running stories: "
        f"precision@3 = {result['precision']:.3f} ({elapsed:.1f} s)\n"
    )
    baseline = tags_only_precision(stories)
    out.write(f"baseline, shared topics then time: precision@3 = {baseline:.3f}\n")
    for line, value in result["per_storyline"].items():
        out.write(f"  {line:22} {value:.3f}\n")


if __name__ == "__main__":
    main()
