"""Precision of running-story proposals on the labelled related corpus.

Run: ``python -m bench.running.proposals [--demo | --wikinews | --wikinews-2020] [--batch]
[--shown N]``
(no database). The stories: by default the generated labelled corpus
(bench/discovery/evaluation/corpus.py) and then 171 real Wikinews stories of 2019
(tests/data/wikinews-2019, CC BY 2.5) with the running stories labelled by hand in its
storylines.json, every other story a distractor that belongs to none, reported whole
and in two halves (MIN_SHARE was chosen on the first; the second is held out);
``--wikinews`` the real stories only; ``--wikinews-2020`` the 120 Wikinews stories of
2020 (tests/data/wikinews-2020), labelled by hand before any proposal was computed on
them, reported whole (no halves: none of it was used to choose anything); ``--demo`` the
demo newsroom's storylines (masthead.demo.generator).

For each running story an editor starts from its first story and works as in the
admin: the first proposal is shown, accepted if it is of the same storyline and
rejected otherwise, and the proposals are weighed again, until nothing is proposed
(``--batch``: every proposal listed is decided before asking again). Precision is the
share of the decisions that were accepts; recall is the share of the storyline's
stories that ended up in the running story; "stories ever listed" counts every story
that appeared in a list the editor saw, decided or not (the same as the decisions
when one is shown at a time).
"""

import argparse
import datetime as dt
import json
from collections import Counter
from pathlib import Path

from bench.discovery.evaluation.corpus import generate
from masthead.discovery.similarity import MemoryIndex
from masthead.running.proposals import LIMIT, SHOWN, propose

STORED = 12  # what discovery.related keeps per story
DATA = Path(__file__).resolve().parents[2] / "tests" / "data"
WIKINEWS = DATA / "wikinews-2019"


def simulate(
    stories,
    seeds: int = 1,
    rounds: int = 500,
    min_stories: int = 2,
    lines=None,
    step: int | None = None,
    **options,
) -> dict:
    """Return precision, recall and counts over every storyline, editor in the loop.

    Storylines of fewer than ``min_stories`` stories are no running story: their stories
    stay in the index (a proposal of one is a wrong proposal) but nobody starts from them.
    ``lines``, when given, limits the running stories started from to those storylines
    (every story stays in the index). ``step``: how many of the first proposals the
    editor decides before the list is weighed again; ``None`` decides the whole list at
    once, 1 is the admin's flow (each Accept or Reject reloads the list).
    """
    labels = {s.text.key: s.storyline for s in stories}
    index = MemoryIndex(s.text for s in stories)
    related = {s.text.key: index.related(s.text.key, STORED) for s in stories}
    by_line: dict[str, list] = {}
    for s in sorted(stories, key=lambda s: s.text.published_at):
        by_line.setdefault(s.storyline, []).append(s.text.key)
    shown = accepted = found = total = listed = listed_ok = 0
    per_line = {}
    for line, keys in by_line.items():
        if len(keys) < min_stories or (lines is not None and line not in lines):
            continue
        members, rejected, seen = set(keys[:seeds]), set(), set()
        line_shown = line_ok = 0
        for _ in range(rounds):
            proposals = propose(members, related, rejected, **options)
            if not proposals:
                break
            seen.update(p.story_id for p in proposals)
            for p in proposals[:step]:
                line_shown += 1
                if labels[p.story_id] == line:
                    members.add(p.story_id)
                    line_ok += 1
                else:
                    rejected.add(p.story_id)
        shown += line_shown
        accepted += line_ok
        listed += len(seen)
        listed_ok += sum(labels[k] == line for k in seen)
        found += len(members)
        total += len(keys)
        per_line[line] = (line_ok / line_shown if line_shown else 1.0, len(members) / len(keys))
    return {
        "storylines": len(per_line),
        "stories": len(stories),
        "proposals_shown": shown,
        "precision": accepted / shown if shown else 1.0,
        "recall": found / total if total else 0.0,
        # Every story that appeared in a list the editor saw, decided on or not.
        "listed": listed,
        "listed_precision": listed_ok / listed if listed else 1.0,
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


def wikinews_stories(year: int = 2019) -> list:
    """Return the Wikinews stories of ``year`` labelled with their hand-made running stories.

    No topics (the scrape has none) and one section: the proposals see text and dates
    only. The first paragraph stands in for the standfirst, as an import would take it.
    """
    from types import SimpleNamespace

    from masthead.discovery.similarity import StoryText

    folder = DATA / f"wikinews-{year}"
    labels = json.loads((folder / "storylines.json").read_text())["storylines"]
    line_of = {f"wikinews-{year}-{n}": line for line, numbers in labels.items() for n in numbers}
    stories = []
    with (folder / "stories.jsonl").open() as lines:
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


def halves(stories) -> tuple[set, set]:
    """Return the running stories split in two: every other one in name order.

    The first half is the one MIN_SHARE was chosen on; the second was not used to
    choose anything, so its figure is the held-out one.
    """
    sizes = Counter(s.storyline for s in stories)
    lines = sorted(line for line, n in sizes.items() if n >= 2)
    return set(lines[0::2]), set(lines[1::2])


def report(name: str, result: dict) -> None:
    print(
        f"{name}: {result['storylines']} running stories, {result['stories']} stories; "
        f"decisions {result['proposals_shown']}, precision {result['precision']:.3f}, "
        f"recall {result['recall']:.3f}; stories ever listed {result['listed']}, "
        f"precision {result['listed_precision']:.3f}"
    )
    worst = Counter({k: -v[0] for k, v in result["per_line"].items()}).most_common(3)
    for line, value in worst:
        if -value < 1:
            print(f"    {line}: precision {-value:.3f}, recall {result['per_line'][line][1]:.3f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=1)
    parser.add_argument("--min-share", type=float, default=None)
    parser.add_argument("--min-ratio", type=float, default=None)
    parser.add_argument(
        "--shown",
        type=int,
        default=SHOWN,
        help="proposals listed at a time (the admin: %(default)s); 0: the whole list",
    )
    parser.add_argument(
        "--batch",
        action="store_true",
        help="decide every listed proposal before asking again (the earlier protocol)",
    )
    which = parser.add_mutually_exclusive_group()
    which.add_argument(
        "--demo", action="store_true", help="the demo newsroom's storylines instead of the corpus"
    )
    which.add_argument(
        "--wikinews", action="store_true", help="real Wikinews stories only, hand-labelled"
    )
    which.add_argument(
        "--wikinews-2020",
        action="store_true",
        help="the held-out Wikinews stories of 2020 only, hand-labelled, reported whole",
    )
    args = parser.parse_args()
    options = {
        k: v
        for k, v in (("min_share", args.min_share), ("min_ratio", args.min_ratio))
        if v is not None
    }
    options["limit"] = args.shown or LIMIT
    options["step"] = None if args.batch else 1
    options["seeds"] = args.seeds
    print(
        f"seeds {args.seeds}, shown {options['limit']}, {'batch' if args.batch else 'one by one'}"
    )
    if args.demo:
        report("demo", simulate(demo_stories(), **options))
        return
    if args.wikinews_2020:
        report("Wikinews 2020, all (held out)", simulate(wikinews_stories(2020), **options))
        return
    if not args.wikinews:
        report("generated corpus", simulate(generate(), **options))
    real = wikinews_stories()
    tune, held = halves(real)
    report("Wikinews, all", simulate(real, **options))
    report("Wikinews, tuning half", simulate(real, lines=tune, **options))
    report("Wikinews, held-out half", simulate(real, lines=held, **options))


if __name__ == "__main__":
    main()
