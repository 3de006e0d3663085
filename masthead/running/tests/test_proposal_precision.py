"""Proposals an editor would accept, measured on the labelled related corpus."""

import importlib.util
from pathlib import Path

from bench.discovery.evaluation.corpus import generate

BENCH = Path(__file__).resolve().parents[3] / "bench" / "running" / "proposals.py"


def _simulate():
    spec = importlib.util.spec_from_file_location("running_proposals_bench", BENCH)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.simulate


def test_proposals_are_precise_at_the_recall_editors_see():
    result = _simulate()(generate(), seeds=1)
    assert result["precision"] >= 0.95, result
    assert result["recall"] >= 0.9, result
    assert result["proposals_shown"] >= 250  # the editor was really shown proposals


def test_proposals_on_the_demo_storylines_are_precise_too():
    spec = importlib.util.spec_from_file_location("running_proposals_bench", BENCH)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    result = module.simulate(module.demo_stories(), seeds=1)
    assert result["precision"] >= 0.95, result
    assert result["recall"] >= 0.9, result


def test_proposals_on_real_wikinews_stories_are_measured_not_yet_at_target():
    """171 Wikinews stories of 2019 (CC BY 2.5), ten running stories labelled by hand.

    Measured in the admin's flow (one proposal at a time, each decision weighed into
    the next): 0.917 precision at 0.914 recall, 0.917 on each half of the running
    stories (docs/live.md): below the 0.95 target, which the invented corpora meet.
    This guards the measured figures against regressions; it does not claim the target.
    """
    spec = importlib.util.spec_from_file_location("running_proposals_bench", BENCH)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    stories = module.wikinews_stories()
    result = module.simulate(stories, seeds=1, step=1, limit=1)
    assert result["storylines"] == 10 and result["stories"] == 171
    assert result["precision"] >= 0.9, result
    assert result["recall"] >= 0.9, result
    tune, held = module.halves(stories)
    assert len(tune) == len(held) == 5 and not tune & held
    for half in (tune, held):
        part = module.simulate(stories, seeds=1, step=1, limit=1, lines=half)
        assert part["storylines"] == 5
        assert part["precision"] >= 0.9 and part["recall"] >= 0.85, part


def test_a_rejection_keeps_its_neighbours_away_on_real_stories():
    """Deciding the whole list at once (no rejection weighed in) is worse than one by one."""
    spec = importlib.util.spec_from_file_location("running_proposals_bench", BENCH)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    stories = module.wikinews_stories()
    batch = module.simulate(stories, seeds=1)
    one_by_one = module.simulate(stories, seeds=1, step=1, limit=1)
    assert one_by_one["recall"] >= batch["recall"]
    assert one_by_one["precision"] > batch["precision"] + 0.1, (batch, one_by_one)


def test_the_held_out_wikinews_2020_stories_load_with_their_hand_labels():
    """120 Wikinews stories of 2020 (CC BY 2.5), ten running stories labelled by hand.

    The labels were made before any proposal was computed on these stories, and the
    rules were not changed after: the first run measured 0.913 precision (21 of 23) at
    recall 0.544 (docs/live.md). The figures are guarded against regressions here; the
    0.95 target is not claimed.
    """
    import json

    spec = importlib.util.spec_from_file_location("running_proposals_bench", BENCH)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    stories = module.wikinews_stories(2020)  # raises if a label names a missing story
    assert len(stories) == 120
    assert all(s.text.key.startswith("wikinews-2020-") for s in stories)
    assert all(s.text.published_at.year == 2020 for s in stories)
    labels = json.loads((module.DATA / "wikinews-2020" / "storylines.json").read_text())
    numbers = [n for members in labels["storylines"].values() for n in members]
    assert len(numbers) == len(set(numbers)) == 57  # none in two running stories
    sizes = module.Counter(s.storyline for s in stories)
    running = {line: n for line, n in sizes.items() if n >= 2}
    assert sorted(running) == sorted(labels["storylines"]) and len(running) == 10
    assert sum(running.values()) == 57
    result = module.simulate(stories, seeds=1, step=1, limit=1)
    assert result["proposals_shown"] >= 20
    assert result["precision"] >= 0.9 and result["recall"] >= 0.5, result
