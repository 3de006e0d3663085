"""The checks on copy we did not write: 171 Wikinews stories (bench/editorial/real.py).

The floors are the scores measured when the rules were last changed (see
bench/editorial/README.md); a change that makes them fall fails here. The targets of
the brief are asserted as well: recall of at least 0.9 for every class of placed
mistake, at most 2 findings per 1,000 words that a copy editor would reject, and no
blocking finding on clean copy.
"""

import json

import pytest

from bench.editorial.corpus import newsroom_lexicon
from bench.editorial.placed import CLASSES
from bench.editorial.published import STORIES_FILE, published_stories
from bench.editorial.real import (
    REAL,
    load_judgements,
    measure_noise,
    measure_recall,
    own_clean,
    published,
)

# Measured floors (published copy), below which a change counts as a regression.
RECALL_FLOORS = {
    "respelt_name": 0.95,
    "name_in_title": 0.92,
    "title_caption": 1.0,
    "appositive_title": 1.0,
    "staff_name": 1.0,
}
REAL_MISTAKES_FOUND = 37
NOISE_CEILING = 1.0  # measured 0.96 per 1,000 words


@pytest.fixture(scope="module")
def stories():
    return published()


@pytest.fixture(scope="module")
def recall(stories):
    return measure_recall(stories)


@pytest.fixture(scope="module")
def own():
    return own_clean()


def test_the_published_set_has_150_stories_each_with_source_address_and_licence():
    records = [json.loads(line) for line in STORIES_FILE.read_text(encoding="utf-8").splitlines()]
    assert len(records) >= 150
    for record in records:
        assert record["source"] and record["licence"] == "CC BY 2.5", record["id"]
        assert record["url"].startswith("https://en.wikinews.org/wiki/"), record["id"]
        assert record["headline"] and record["paragraphs"], record["id"]
    assert len(published_stories()) == len(records)


def test_every_class_of_placed_mistake_is_found_nine_times_in_ten(recall):
    for kind in CLASSES:
        assert recall.placed[kind] >= 20, kind
        assert recall.recall(kind) >= 0.9, (kind, recall.recall(kind))
        assert recall.recall(kind) >= RECALL_FLOORS[kind], (kind, recall.recall(kind))


def test_no_story_person_is_corrected_to_a_staffer(recall):
    assert recall.traps >= 20
    assert recall.trap_fired == 0


def test_the_same_classes_are_found_in_our_own_stories(own):
    scores = measure_recall(own)
    for kind in CLASSES:
        assert scores.placed[kind] >= 1, kind
        assert scores.recall(kind) >= 0.9, (kind, scores.recall(kind))


def test_at_most_two_rejected_findings_per_1000_words_of_published_copy(stories):
    noise = measure_noise(stories, load_judgements())
    assert noise.words > 60_000
    # A finding nobody has judged yet counts as rejected: judge it in
    # bench/editorial/published_judgements.tsv (bench/editorial/evaluate.py --real lists it).
    assert noise.noise_per_1000() <= 2.0
    assert noise.noise_per_1000() <= NOISE_CEILING, [
        (key, f.rule, f.text) for key, f, _verdict, _reason in noise.unjudged
    ]
    assert noise.count(REAL) >= REAL_MISTAKES_FOUND
    rejected_blocking = [item for item in noise.findings if item[1].blocking and item[2] != REAL]
    assert rejected_blocking == []


def test_no_finding_at_all_on_our_own_clean_copy(own):
    noise = measure_noise(own, lexicon=newsroom_lexicon())
    assert noise.words > 10_000
    assert noise.findings == []
