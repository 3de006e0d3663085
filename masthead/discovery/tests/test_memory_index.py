"""MemoryIndex.related prunes candidates; it must give exactly the exhaustive lists."""

import random
from datetime import UTC, datetime, timedelta

from bench.discovery.evaluation.corpus import generate
from masthead.discovery import similarity

SYLLABLES = ["ka", "ri", "mo", "sel", "ven", "dar", "lu", "tis", "ban", "or", "ek", "zel"]


def _archive(count: int, seed: int = 3) -> list[similarity.StoryText]:
    """Stories with a few running storylines, a long tail of words and common topics.

    Common words and topics give long postings, which is what the pruning skips.
    """
    rng = random.Random(seed)
    vocabulary = ["".join(rng.choice(SYLLABLES) for _ in range(3 + n % 2)) for n in range(1500)]
    weights = [1 / (n + 1) for n in range(len(vocabulary))]
    lines = [rng.sample(vocabulary[300:], 6) for _ in range(40)]
    start = datetime(2025, 1, 1, tzinfo=UTC)
    stories = []
    for n in range(count):
        line = lines[n % len(lines)]

        def text(length, line=line):
            return " ".join(
                rng.choice(line) if rng.random() < 0.2 else rng.choices(vocabulary, weights)[0]
                for _ in range(length)
            )

        stories.append(
            similarity.StoryText(
                key=n,
                headline=text(8),
                standfirst=text(20),
                body=text(200),
                topics=[f"tag-{rng.randrange(30)}", rng.choice(["news", "region", "economy"])],
                section="news",
                # Some stories share a date exactly, some have none: ties and the floor.
                published_at=None
                if n % 37 == 0
                else start + timedelta(days=rng.randrange(400) if n % 5 else n % 3),
            )
        )
    return stories


def test_pruned_related_lists_equal_the_exhaustive_ones():
    index = similarity.MemoryIndex(_archive(400))
    for key in index.stories:
        for limit in (12, 3):
            assert index.related(key, limit) == index.related_exhaustive(key, limit), key


def test_pruned_related_lists_equal_the_exhaustive_ones_on_the_labelled_corpus():
    index = similarity.MemoryIndex(story.text for story in generate())
    for key in index.stories:
        assert index.related(key, 12) == index.related_exhaustive(key, 12), key


def test_pruning_skips_long_postings():
    """The point of the pruning: most postings of common terms are never read."""
    index = similarity.MemoryIndex(_archive(400))
    read = []
    original = index.postings
    counting = {term: _Counting(postings, read) for term, postings in original.items()}
    index.postings = counting
    for key in list(index.stories)[:50]:
        index.related(key, 12)
    pruned = sum(read)
    read.clear()
    for key in list(index.stories)[:50]:
        index.related_exhaustive(key, 12)
    assert pruned < 0.6 * sum(read)


class _Counting(list):
    def __init__(self, postings, read):
        super().__init__(postings)
        self.read = read

    def __iter__(self):
        self.read.append(len(self))
        return super().__iter__()
