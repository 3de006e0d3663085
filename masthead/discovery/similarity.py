"""Content similarity for related stories: weighted TF-IDF with cosine and a time decay.

Why this method: a running story repeats its own names, places and nouns (the Varsk
crossing, a minister, a strike) across headlines, standfirsts and bodies, and TF-IDF
rewards exactly those rare shared words while discounting what every story says
("officials", "said"). Topics and the section enter as extra tokens so an editor's
tagging counts, but cannot decide alone. Stories of one running story cluster in time,
so the score decays gently with the gap between publication dates.

Everything here is pure Python over plain data, so the evaluation corpus and the
database-backed index share one implementation.
"""

import heapq
import math
import re
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from operator import itemgetter

# Field weights: a word in the headline says more about the story than one in the body.
HEADLINE_WEIGHT = 3
STANDFIRST_WEIGHT = 2
BODY_WEIGHT = 1
TOPIC_WEIGHT = 3
SECTION_WEIGHT = 1
# Terms kept per story (postings); the long tail adds cost and little signal.
TERMS_PER_STORY = 60
# Terms of a story used to look up candidates: its strongest terms carry nearly all of
# the cosine, and fewer lookups keep publishing fast at tens of thousands of stories.
QUERY_TERMS = 30
# Score multiplier for the publication gap: 1.0 same day, falling towards RECENCY_FLOOR.
RECENCY_FLOOR = 0.6
RECENCY_SCALE_DAYS = 45.0
# Margin for float rounding in the pruning bounds of MemoryIndex.related.
SLACK = 1e-9

STOP_WORDS = frozenset(
    [
        "a",
        "about",
        "above",
        "after",
        "again",
        "against",
        "all",
        "also",
        "am",
        "an",
        "and",
        "any",
        "are",
        "around",
        "as",
        "at",
        "be",
        "because",
        "been",
        "before",
        "being",
        "below",
        "between",
        "both",
        "but",
        "by",
        "can",
        "could",
        "did",
        "do",
        "does",
        "doing",
        "down",
        "during",
        "each",
        "few",
        "for",
        "from",
        "further",
        "had",
        "has",
        "have",
        "having",
        "he",
        "her",
        "here",
        "hers",
        "herself",
        "him",
        "himself",
        "his",
        "how",
        "i",
        "if",
        "in",
        "into",
        "is",
        "it",
        "its",
        "itself",
        "just",
        "last",
        "least",
        "less",
        "like",
        "made",
        "make",
        "many",
        "may",
        "me",
        "might",
        "more",
        "most",
        "much",
        "must",
        "my",
        "myself",
        "new",
        "next",
        "no",
        "nor",
        "not",
        "now",
        "of",
        "off",
        "on",
        "once",
        "one",
        "only",
        "or",
        "other",
        "our",
        "ours",
        "ourselves",
        "out",
        "over",
        "own",
        "said",
        "same",
        "says",
        "she",
        "should",
        "since",
        "so",
        "some",
        "still",
        "such",
        "than",
        "that",
        "the",
        "their",
        "theirs",
        "them",
        "themselves",
        "then",
        "there",
        "these",
        "they",
        "this",
        "those",
        "through",
        "to",
        "too",
        "two",
        "under",
        "until",
        "up",
        "upon",
        "us",
        "very",
        "was",
        "we",
        "week",
        "weeks",
        "were",
        "what",
        "when",
        "where",
        "which",
        "while",
        "who",
        "whom",
        "why",
        "will",
        "with",
        "within",
        "without",
        "would",
        "year",
        "years",
        "yet",
        "you",
        "your",
        "yours",
        "yourself",
        "yourselves",
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "saturday",
        "sunday",
        "today",
        "yesterday",
        "tomorrow",
        "told",
        "according",
        "first",
        "second",
        "third",
        "says",
        "say",
        "saying",
        "people",
        "time",
        "day",
        "days",
        "month",
        "months",
        "new",
        "per",
        "cent",
        "percent",
        "mr",
        "ms",
        "dr",
    ]
)
_WORD = re.compile(r"[a-z][a-z'\-]*[a-z]|[0-9]{4}")


@dataclass
class StoryText:
    """What the similarity sees of a story."""

    key: object
    headline: str
    standfirst: str = ""
    body: str = ""
    topics: list[str] = field(default_factory=list)
    section: str = ""
    published_at: datetime | None = None


def stem(word: str) -> str:
    """Return a light stem: possessives and common plural and verb endings removed."""
    if word.endswith("'s"):
        word = word[:-2]
    word = word.replace("'", "")
    if len(word) > 5 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 5 and word.endswith("ing"):
        return word[:-3]
    if len(word) > 4 and word.endswith("ed") and not word.endswith("eed"):
        return word[:-2]
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def words(text: str) -> list[str]:
    """Return the stemmed content words of ``text``."""
    found = []
    for raw in _WORD.findall(text.lower()):
        if raw in STOP_WORDS or len(raw) < 3:
            continue
        stemmed = stem(raw)
        if stemmed and stemmed not in STOP_WORDS:
            found.append(stemmed[:64])
    return found


def story_terms(story: StoryText) -> Counter:
    """Return the field-weighted term counts of a story."""
    counts: Counter = Counter()
    for weight, text in (
        (HEADLINE_WEIGHT, story.headline),
        (STANDFIRST_WEIGHT, story.standfirst),
        (BODY_WEIGHT, story.body),
    ):
        for word in words(text):
            counts[word] += weight
    for topic in story.topics:
        counts[f"topic:{topic}"[:64]] += TOPIC_WEIGHT
    if story.section:
        counts[f"section:{story.section}"[:64]] += SECTION_WEIGHT
    return counts


def idf(documents: int, total: int) -> float:
    """Return the smoothed inverse document frequency of a term."""
    return math.log((1 + total) / (1 + documents)) + 1.0


def weigh(
    counts: Mapping[str, int], frequencies: Mapping[str, int], total: int
) -> dict[str, float]:
    """Return the top ``TERMS_PER_STORY`` TF-IDF weights of a story, L2-normalised.

    Term frequency is sublinear (1 + log tf) so one repeated word cannot dominate.
    ``frequencies`` maps a term to the number of stories containing it; a term not in
    it counts as appearing in this story only.
    """
    raw = {
        term: (1.0 + math.log(count)) * idf(max(frequencies.get(term, 1), 1), total)
        for term, count in counts.items()
        if count > 0
    }
    top = sorted(raw.items(), key=lambda item: (-item[1], item[0]))[:TERMS_PER_STORY]
    norm = math.sqrt(sum(w * w for _, w in top)) or 1.0
    return {term: w / norm for term, w in top}


def recency(a: datetime | None, b: datetime | None) -> float:
    """Return the multiplier for two publication times: 1.0 when close, never below the floor."""
    if a is None or b is None:
        return RECENCY_FLOOR
    gap = abs((a - b).total_seconds()) / 86400
    return RECENCY_FLOOR + (1 - RECENCY_FLOOR) * math.exp(-gap / RECENCY_SCALE_DAYS)


def query_terms(vector: Mapping[str, float]) -> dict[str, float]:
    """Return the ``QUERY_TERMS`` strongest terms of a vector, used to find candidates."""
    top = sorted(vector.items(), key=lambda item: (-item[1], item[0]))[:QUERY_TERMS]
    return dict(top)


def dot_products(
    vector: Mapping[str, float], postings: Iterable[tuple[object, str, float]], skip: object
) -> dict:
    """Return the cosine of ``vector`` with every story found in ``postings``.

    ``postings`` yields ``(story, term, weight)`` for the terms of ``vector``; both
    sides are normalised, so the sum of products is the cosine of the kept terms.
    """
    scores: dict = {}
    for key, term, weight in postings:
        if key == skip:
            continue
        scores[key] = scores.get(key, 0.0) + vector.get(term, 0.0) * weight
    return scores


def rank(
    scores: Mapping[object, float],
    published: Mapping[object, datetime | None],
    at: datetime | None,
    limit: int,
) -> list[tuple[object, float]]:
    """Return the ``limit`` best ``(story, score)`` after the time decay, best first."""
    decayed = [
        (key, cosine * recency(at, published.get(key)))
        for key, cosine in scores.items()
        if cosine > 0
    ]
    decayed.sort(key=lambda item: (-item[1], str(item[0])))
    return decayed[:limit]


class MemoryIndex:
    """An in-memory index of many stories, for evaluation and rebuilding."""

    def __init__(self, stories: Iterable[StoryText]):
        self.stories = {story.key: story for story in stories}
        self.counts = {key: story_terms(story) for key, story in self.stories.items()}
        self.frequencies: Counter = Counter()
        for counts in self.counts.values():
            self.frequencies.update(counts.keys())
        total = len(self.stories)
        self.vectors = {
            key: weigh(counts, self.frequencies, total) for key, counts in self.counts.items()
        }
        self.postings: dict[str, list[tuple[object, float]]] = {}
        for key, vector in self.vectors.items():
            for term, weight in vector.items():
                self.postings.setdefault(term, []).append((key, weight))
        self.max_weight = {
            term: max(weight for _, weight in postings) for term, postings in self.postings.items()
        }

    def related(self, key, limit: int = 12) -> list[tuple[object, float]]:
        """Return the stories most related to ``key``, best first.

        The same list as ``related_exhaustive`` (scores equal to the last bit), without
        scoring every story that shares a common term: with thousands of stories a
        story's strongest terms still include some found in a large share of the
        archive, and scoring and decaying all of those candidates grows with the
        square of the archive. Two bounds make it exact:

        - the time decay never raises a score, so a story whose cosine is below the
          ``limit``-th best decayed score found so far cannot enter the list;
        - a story that appears only in the postings not yet read can score at most the
          sum, over those terms, of the query weight times the term's largest posting.

        Terms are read shortest postings first, and the longest ones are skipped once
        that bound falls below the current ``limit``-th best decayed score.
        """
        query = query_terms(self.vectors[key])
        at = self.stories[key].published_at
        order = sorted(query, key=lambda term: (len(self.postings.get(term, ())), term))
        remaining = [0.0] * (len(order) + 1)
        for i in range(len(order) - 1, -1, -1):
            remaining[i] = remaining[i + 1] + query[order[i]] * self.max_weight.get(order[i], 0.0)
        partial: dict = {}
        get = partial.get
        exact: dict = {}
        best: list[float] = []  # min-heap of the ``limit`` best decayed scores in ``exact``
        floor = 0.0
        checked = math.inf
        read = len(order)
        for i, term in enumerate(order):
            if i and len(partial) >= limit and remaining[i] < checked * 0.8:
                # Raising the floor costs a pass over the partial sums: only when the
                # bound has fallen by a fifth since the last time.
                checked = remaining[i]
                floor = self._raise_floor(query, at, partial, exact, best, limit)
            if remaining[i] < floor - SLACK:
                read = i
                break
            query_weight = query[term]
            for other, weight in self.postings.get(term, ()):
                partial[other] = get(other, 0.0) + query_weight * weight
            partial.pop(key, None)
        unread = order[read:]
        if not unread:
            return self._rank(query, at, partial, exact, limit)
        # A story seen so far may still reach the list through the terms not read:
        # add those terms from its own vector (a few lookups, not the long postings).
        bound = floor - SLACK - remaining[read]
        approximate = {}
        for other, score in partial.items():
            if score >= bound:
                vector = self.vectors[other]
                for term in unread:
                    weight = vector.get(term)
                    if weight is not None:
                        score += query[term] * weight
                approximate[other] = score
        return self._rank(query, at, approximate, exact, limit)

    def related_exhaustive(self, key, limit: int = 12) -> list[tuple[object, float]]:
        """Return the stories most related to ``key`` by scoring every candidate.

        The reference ``related`` must agree with (tests compare the two).
        """
        vector = query_terms(self.vectors[key])
        scores: dict = {}
        get = scores.get
        for term, query_weight in vector.items():
            for other, weight in self.postings.get(term, ()):
                scores[other] = get(other, 0.0) + query_weight * weight
        scores.pop(key, None)
        published = {k: self.stories[k].published_at for k in scores}
        return rank(scores, published, self.stories[key].published_at, limit)

    def _cosine(self, query: Mapping[str, float], other) -> float:
        """Return the cosine summed in the order ``related_exhaustive`` adds it up."""
        vector = self.vectors[other]
        score = 0.0
        for term, query_weight in query.items():
            weight = vector.get(term)
            if weight is not None:
                score = score + query_weight * weight
        return score

    def _raise_floor(self, query, at, partial: dict, exact: dict, best: list, limit: int):
        """Return the ``limit``-th best decayed score found, scoring the best partial sums."""
        stories = self.stories
        for other, _ in heapq.nlargest(2 * limit, partial.items(), key=itemgetter(1)):
            if other in exact:
                continue
            cosine = exact[other] = self._cosine(query, other)
            if cosine <= 0:
                continue
            value = cosine * recency(at, stories[other].published_at)
            if len(best) < limit:
                heapq.heappush(best, value)
            elif value > best[0]:
                heapq.heapreplace(best, value)
        return best[0] if len(best) >= limit else 0.0

    def _rank(self, query, at, approximate: dict, exact: dict, limit: int):
        """Return ``rank`` of the exact cosines, decaying only stories that can make the list.

        ``approximate`` holds each candidate's cosine up to float rounding. Decay never
        raises a score: walking candidates by falling cosine, the walk stops below the
        ``limit``-th best decayed score.
        """
        stories = self.stories
        kept: dict = {}
        best: list[float] = []
        for other, estimate in sorted(approximate.items(), key=itemgetter(1), reverse=True):
            if len(best) >= limit and estimate < best[0] - SLACK:
                break
            cosine = exact.get(other)
            if cosine is None:
                cosine = self._cosine(query, other)
            if cosine <= 0:
                continue
            kept[other] = cosine
            value = cosine * recency(at, stories[other].published_at)
            if len(best) < limit:
                heapq.heappush(best, value)
            elif value > best[0]:
                heapq.heapreplace(best, value)
        published = {k: stories[k].published_at for k in kept}
        return rank(kept, published, at, limit)
