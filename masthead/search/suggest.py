"""'Did you mean': correct misspelt query words against the published vocabulary.

The vocabulary is every folded word of published, public headlines, standfirsts, topic
names and author names, plus the body words of the most recent stories (reading every
body of a 100,000-story archive on a request would take seconds). It is built on first
use and kept until the ``WORDS`` counter moves (masthead.core.changes: a story
published, unpublished or deleted, a byline or topic edited, in any process); the
first worker to need it builds it and the others read it from the shared store.

Candidates are ranked with rapidfuzz's Levenshtein distance: its C implementation
scans tens of thousands of words in a few milliseconds, where a pure-Python edit
distance would dominate the query time.
"""

from collections import Counter

from rapidfuzz import process
from rapidfuzz.distance import Levenshtein

from masthead.core import changes

from .query import MAX_QUERY_CHARS
from .snippets import stream_texts
from .text import STOPWORDS, stem, words

BODY_STORIES = 2000


def _vocabulary() -> tuple[dict[str, int], set[str]]:
    def build():
        vocab = build_vocabulary()
        return vocab, {stem(w) for w in vocab}

    return changes.cached("search:vocabulary", changes.WORDS, build, shared=True)


def vocabulary() -> dict[str, int]:
    """Return the vocabulary of published copy, building it if needed."""
    return _vocabulary()[0]


def build_vocabulary() -> dict[str, int]:
    """Return folded word -> number of published stories that use it."""
    from masthead.articles.models import ArticleAuthor, ArticlePage, ArticleTopic

    stories = ArticlePage.objects.live().public()
    counts: Counter = Counter()
    for title, standfirst in stories.values_list("title", "standfirst").iterator(chunk_size=5000):
        counts.update(set(words(f"{title} {standfirst}")))
    live_ids = stories.values("pk")
    topics = (
        ArticleTopic.objects.filter(page__in=live_ids)
        .values_list("topic__name", flat=True)
        .distinct()
    )
    authors = (
        ArticleAuthor.objects.filter(page__in=live_ids)
        .values_list("author__name", flat=True)
        .distinct()
    )
    for name in {*topics, *authors}:
        counts.update(set(words(name)))
    recent = stories.order_by("-first_published_at").only("body")[:BODY_STORIES]
    for story in recent.iterator(chunk_size=500):
        counts.update(set(words(" ".join(stream_texts(story.body)))))
    return {word: n for word, n in counts.items() if len(word) > 2 and not word.isdigit()}


def _max_distance(word: str) -> int:
    return 1 if len(word) <= 5 else 2


def correct_word(word: str, vocab: dict[str, int]) -> str | None:
    """Return the closest known word to ``word``, or None when it is known or too far."""
    if word in vocab or not 4 <= len(word) <= 30 or word.isdigit() or word in STOPWORDS:
        return None
    known, stems = _vocabulary()
    if vocab is known and stem(word) in stems:
        return None
    matches = process.extract(
        word,
        vocab.keys(),
        scorer=Levenshtein.distance,
        score_cutoff=_max_distance(word),
        limit=20,
    )
    if not matches:
        return None
    best = min(matches, key=lambda m: (m[1], -vocab[m[0]], m[0]))
    return best[0]


def suggest(query: str) -> str | None:
    """Return the query with misspelt words corrected, or None when nothing changes."""
    vocab = vocabulary()
    if not vocab:
        return None
    changed = False
    out = []
    for word in words(query[:MAX_QUERY_CHARS]):
        fixed = correct_word(word, vocab)
        if fixed:
            changed = True
        out.append(fixed or word)
    return " ".join(out) if changed else None
