"""Precision of running-story proposals on the labelled related corpus.

Run: ``python -m bench.running.proposals [--demo | --wikinews]`` (no database). The
stories: the generated labelled corpus (bench/discovery/evaluation/corpus.py) by
default; ``--demo`` the demo newsroom's storylines (masthead.demo.generator);
``--wikinews`` 171 real Wikinews stories of 2019 (tests/data/wikinews-2019, CC BY 2.5)
with the running stories labelled by hand in its storylines.json, every other story a
distractor that belongs to none. For each of the running stories an editor starts from its first story, is shown the proposals, accepts
those of the same storyline and rejects the others, and asks again until nothing new is
proposed. Precision is the share of all proposals shown that the editor accepted;
recall is the share of the storyline's stories that ended up in the running story.
"""

import argparse
import datetime as dt
import json
from collections import Counter
from pathlib import Path

from bench.discovery.evaluation.corpus import generate
from masthead.discovery.similarity import MemoryIndex
from masthead.running.proposals import propose

STORED = 12  # what discovery.related keeps per story
WIKINEWS = Path(__file__).resolve().parents[2] / "tests" / "data" / "wikinews-2019"


def simulate(stories, seeds: int = 1, rounds: int = 50, min_stories: int = 2, **options) -> dict:
    """Return precision, recall and counts over every storyline, editor in the loop.

    Storylines of fewer than ``min_stories`` stories are no running story: their stories
    stay in the index (a proposal of one is a wrong proposal) but nobody starts from them.
    """
    labels = {s.text.key: s.storyline for s in stories}
    index = MemoryIndex(s.text for s in stories)
    related = {s.text.key: index.related(s.text.key, STORED) for s in stories}
    by_line: dict[str, list] = {}
    for s in sorted(stories, key=lambda s: s.text.published_at):
        by_line.setdefault(s.storyline, []).append(s.text.key)
    shown = accepted = found = total = 0
    per_line = {}
    for line, keys in by_line.items():
        if len(keys) < min_stories:
            continue
        members, rejected = set(keys[:seeds]), set()
        line_shown = line_ok = 0
        for _ in range(rounds):
            proposals = propose(members, related, rejected, **options)
            if not proposals:
                break
            for p in proposals:
                line_shown += 1
                if labels[p.story_id] == line:
                    members.add(p.story_id)
                    line_ok += 1
                else:
                    rejected.add(p.story_id)
        shown += line_shown
        accepted += line_ok
        found += len(members)
        total += len(keys)
        per_line[line] = (line_ok / line_shown if line_shown else 1.0, len(members) / len(keys))
    return {
        "storylines": len(per_line),
        "stories": len(stories),
        "proposals_shown": shown,
        "precision": accepted / shown if shown else 1.0,
        "recall": found / total if total else 0.0,
        "per_line": per_line,
    }


def demo_stories() -> list:
    """Return the demo newsroom's stories (masthead.demo.generator), labelled by storyline."""
    from types import SimpleNamespace

    from django.utils import timezone

    from masthead.demo.generator import story_specs
    from masthead.discovery.similarity import StoryText

    stories = []
    for spec in story_specs(timezone.now()):
        body = " ".join(p if isinstance(p, str) else p.get("quote", "") for p in spec.paragraphs)
        text = StoryText(
            key=spec.slug,
            headline=spec.headline,
            standfirst=spec.standfirst,
            body=body,
            topics=list(spec.topics),
            section=spec.section,
            published_at=spec.published_at,
        )
        stories.append(SimpleNamespace(text=text, storyline=spec.storyline))
    return stories


def wikinews_stories() -> list:
    """Return the Wikinews 2019 stories labelled with their hand-made running stories.

    No topics (the scrape has none) and one section: the proposals see text and dates
    only. The first paragraph stands in for the standfirst, as an import would take it.
    """
    from types import SimpleNamespace

    from masthead.discovery.similarity import StoryText

    labels = json.loads((WIKINEWS / "storylines.json").read_text())["storylines"]
    line_of = {f"wikinews-2019-{n}": line for line, numbers in labels.items() for n in numbers}
    stories = []
    with (WIKINEWS / "stories.jsonl").open() as lines:
        for raw in lines:
            record = json.loads(raw)
            paragraphs = record["paragraphs"]
            text = StoryText(
                key=record["id"],
                headline=record["headline"],
                standfirst=paragraphs[0] if paragraphs else "",
                body=" ".join(paragraphs[1:]),
                topics=[],
                section="news",
                published_at=dt.datetime.fromisoformat(record["date"]).replace(
                    hour=12, tzinfo=dt.UTC
                ),
            )
            stories.append(
                SimpleNamespace(text=text, storyline=line_of.get(record["id"], record["id"]))
            )
    if len(line_of) != sum(map(len, labels.values())):
        raise ValueError("storylines.json puts a story in two running stories")
    if not line_of.keys() <= {s.text.key for s in stories}:
        raise ValueError("storylines.json names a story stories.jsonl lacks")
    return stories


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=1)
    parser.add_argument("--min-share", type=float, default=None)
    parser.add_argument("--min-ratio", type=float, default=None)
    which = parser.add_mutually_exclusive_group()
    which.add_argument(
        "--demo", action="store_true", help="the demo newsroom's storylines instead of the corpus"
    )
    which.add_argument(
        "--wikinews", action="store_true", help="real Wikinews stories, hand-labelled"
    )
    args = parser.parse_args()
    options = {
        k: v
        for k, v in (("min_share", args.min_share), ("min_ratio", args.min_ratio))
        if v is not None
    }
    if args.demo:
        stories = demo_stories()
    elif args.wikinews:
        stories = wikinews_stories()
    else:
        stories = generate()
    result = simulate(stories, seeds=args.seeds, **options)
    print(f"{result['storylines']} running stories, {result['stories']} stories")
    print(f"proposals shown: {result['proposals_shown']}")
    print(f"precision: {result['precision']:.3f}   recall: {result['recall']:.3f}")
    worst = Counter({k: -v[0] for k, v in result["per_line"].items()}).most_common(3)
    for line, value in worst:
        print(f"  {line}: precision {-value:.3f}, recall {result['per_line'][line][1]:.3f}")


if __name__ == "__main__":
    main()
