from bench.discovery.evaluation.corpus import generate
from bench.discovery.evaluation.evaluate import precision_at_k, tags_only_precision


def test_related_stories_share_the_running_story_on_the_labelled_corpus():
    stories = generate()
    result = precision_at_k(stories, k=3)
    assert result["stories"] >= 300
    assert result["storylines"] >= 10
    assert result["precision"] >= 0.9, result["per_storyline"]
    # The corpus is not solvable by tags alone: content similarity must add something.
    assert tags_only_precision(stories) < result["precision"] - 0.2


def test_corpus_is_deterministic_and_labelled():
    first, second = generate(stories_per_line=3), generate(stories_per_line=3)
    assert [s.text.headline for s in first] == [s.text.headline for s in second]
    assert {s.storyline for s in first} == {s.text.key.rsplit("-", 1)[0] for s in first}
