"""The relevance test set: each query's expected story should come first."""

from django.core.cache import cache
from django.test import TestCase

from masthead.search import relevance, services
from masthead.search.tests.corpus import NOW, build_archive


class RelevanceTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.pages = build_archive()

    def setUp(self):
        cache.clear()

    def rank_of(self, query: str, key: str) -> int | None:
        results = services.search(query, now=NOW)
        keys = [hit.slug for hit in results.hits]
        return keys.index(key) + 1 if key in keys else None

    def test_the_set_has_at_least_fifty_queries_over_known_stories(self):
        self.assertGreaterEqual(len(relevance.QUERIES), 50)
        for _query, key in relevance.QUERIES:
            self.assertIn(key, relevance.STORIES)

    def test_expected_story_is_found_first(self):
        ranks = {query: self.rank_of(query, key) for query, key in relevance.QUERIES}
        first = sum(1 for r in ranks.values() if r == 1) / len(ranks)
        top3 = sum(1 for r in ranks.values() if r and r <= 3) / len(ranks)
        misses = {q: r for q, r in ranks.items() if r != 1}
        report = f"relevance: {len(ranks)} queries, first {first:.0%}, top 3 {top3:.0%}"
        print(f"\n{report}; misses {misses}")  # noqa: T201 - the report asked for; see with -s
        self.assertGreaterEqual(first, 0.95, misses)
        self.assertGreaterEqual(top3, 0.98, misses)
