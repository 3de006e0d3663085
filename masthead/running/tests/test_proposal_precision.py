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

    Measured 0.667 precision at 0.914 recall (docs/live.md): below the 0.95 target, which
    the invented corpora meet. This guards the measured figure against regressions; it
    does not claim the target.
    """
    spec = importlib.util.spec_from_file_location("running_proposals_bench", BENCH)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    result = module.simulate(module.wikinews_stories(), seeds=1)
    assert result["storylines"] == 10 and result["stories"] == 171
    assert result["precision"] >= 0.65, result
    assert result["recall"] >= 0.9, result
