"""The measured scores on the labelled corpus (see bench/editorial/evaluate.py)."""

import pytest

from bench.editorial.clean_stories import handwritten_corpus
from bench.editorial.corpus import build_corpus, newsroom_lexicon
from bench.editorial.evaluation import evaluate
from masthead.editorial.findings import CHECKS


@pytest.fixture(scope="module")
def corpus():
    return build_corpus()


@pytest.fixture(scope="module")
def scores(corpus):
    return evaluate(corpus, newsroom_lexicon())


def test_corpus_has_100_seeded_stories_with_every_kind_of_mistake(corpus):
    seeded = [item for item in corpus if item.seeded]
    assert len(seeded) >= 100
    assert len(corpus) - len(seeded) >= 30
    for item in seeded:
        assert {label.check for label in item.labels} == set(CHECKS), item.key


def test_spelling_and_names_reach_the_targets(scores):
    for check in ("spelling", "names"):
        assert scores.precision(check) >= 0.9, check
        assert scores.recall(check) >= 0.9, check


def test_other_checks_reach_the_same_bar(scores):
    for check in ("titles", "mechanics", "completeness"):
        assert scores.precision(check) >= 0.9, check
        assert scores.recall(check) >= 0.9, check


def test_fewer_than_one_false_finding_per_1000_clean_words(scores):
    assert scores.clean_words > 10_000
    assert scores.clean_false_per_1000_words < 1.0
    handwritten = evaluate(handwritten_corpus(), newsroom_lexicon())
    assert handwritten.clean_words > 1_000
    assert handwritten.clean_false_per_1000_words < 1.0


def test_seeded_hand_written_stories_reach_the_targets():
    from bench.editorial.clean_stories import seeded_handwritten

    scores = evaluate(seeded_handwritten(), newsroom_lexicon())
    for check in ("spelling", "names", "mechanics"):
        assert scores.labels[check] >= 50, check
        assert scores.precision(check) >= 0.9, check
        assert scores.recall(check) >= 0.9, check
