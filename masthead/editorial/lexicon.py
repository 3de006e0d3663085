"""The words the checks accept: an English dictionary plus the newsroom's own.

The English word list ships inside pyspellchecker. The newsroom adds its editable word
list and the proper nouns that its published stories use (see ``newsroom.py``).
"""

import functools
from collections import Counter
from dataclasses import dataclass, field

from rapidfuzz import process
from rapidfuzz.distance import Levenshtein

_ALPHABET = "abcdefghijklmnopqrstuvwxyz"


@functools.cache
def english() -> dict[str, int]:
    """Return pyspellchecker's English word frequencies (loaded once per process)."""
    from spellchecker import SpellChecker

    return dict(SpellChecker(language="en", distance=1).word_frequency.dictionary)


@functools.cache
def _buckets() -> dict[tuple[str, int], list[str]]:
    """Group dictionary words by first letter and length, for fast near-miss search."""
    groups: dict[tuple[str, int], list[str]] = {}
    for word, count in english().items():
        # Very rare entries are mostly noise; they may be accepted but are never suggested.
        if count > 50 and word.isalpha():
            groups.setdefault((word[0], len(word)), []).append(word)
    return groups


def _edits1(word: str) -> set[str]:
    splits = [(word[:i], word[i:]) for i in range(len(word) + 1)]
    deletes = [a + b[1:] for a, b in splits if b]
    transposes = [a + b[1] + b[0] + b[2:] for a, b in splits if len(b) > 1]
    replaces = [a + c + b[1:] for a, b in splits if b for c in _ALPHABET]
    inserts = [a + c + b for a, b in splits for c in _ALPHABET]
    return set(deletes + transposes + replaces + inserts)


@functools.lru_cache(maxsize=4096)
def suggest(word: str) -> str:
    """Return the likeliest English word within two edits of ``word``, or ''."""
    words = english()
    lower = word.lower()
    close = [w for w in _edits1(lower) if words.get(w, 0) > 50]
    if close:
        return max(close, key=lambda w: words[w])
    if len(lower) < 4:
        return ""
    pool: list[str] = []
    for first in {lower[0], lower[1]}:
        for length in range(len(lower) - 2, len(lower) + 3):
            pool.extend(_buckets().get((first, length), ()))
    matches = process.extract(lower, pool, scorer=Levenshtein.distance, score_cutoff=2, limit=10)
    if not matches:
        return ""
    best = min(matches, key=lambda m: (m[1], -words.get(m[0], 0)))
    return best[0]


# British spellings the American-leaning word list lacks, as (ending, replacement).
_BRITISH_ENDINGS = (
    ("isation", "ization"),
    ("isations", "izations"),
    ("ise", "ize"),
    ("ised", "ized"),
    ("ises", "izes"),
    ("ising", "izing"),
    ("yse", "yze"),
    ("ysed", "yzed"),
    ("ysing", "yzing"),
    ("ogue", "og"),
    ("ogues", "ogs"),
    ("ence", "ense"),
    ("ences", "enses"),
    ("lled", "led"),
    ("lling", "ling"),
    ("ller", "ler"),
    ("llers", "lers"),
    ("mme", "m"),
    ("mmes", "ms"),
)


# '-tre' words are listed: a rule for the ending would also accept the slip 'aftre'.
_TRE_STEMS = {
    "cen", "thea", "me", "li", "fib", "cali", "spec", "som", "lus", "manoeuv", "mea", "sab",
    "kilome", "centime", "millime", "acoustre", "sepul", "ochre",
}  # fmt: skip


def british_to_american(word: str) -> list[str]:
    """Return the American spellings a British word may correspond to ('harbour' -> 'harbor')."""
    forms = []
    for ending, american in (
        ("tre", "ter"),
        ("tres", "ters"),
        ("tred", "tered"),
        ("tring", "tering"),
    ):
        stem = word[: -len(ending)]
        if word.endswith(ending) and stem.lower() in _TRE_STEMS:
            forms.append(stem + american)
    if "our" in word:
        forms.append(word.replace("our", "or"))
    for ending, replacement in _BRITISH_ENDINGS:
        if word.endswith(ending):
            forms.append(word[: -len(ending)] + replacement)
    if "ae" in word or "oe" in word:
        forms.append(word.replace("ae", "e").replace("oe", "e"))
    return forms


@dataclass
class Lexicon:
    """Everything the checks know beyond the text itself."""

    words: set[str] = field(default_factory=set)  # editable list, lower-cased
    # Proper-noun spellings with how many published stories use them.
    names: Counter = field(default_factory=Counter)
    # Spellings the newsroom vouches for: topic and author names and the word list.
    canonical: set[str] = field(default_factory=set)

    def is_word(self, word: str) -> bool:
        lower = word.lower().replace("’", "'")
        if lower in self.words or word in self.names or word in self.canonical:
            return True
        if lower.endswith("'s"):
            lower = lower[:-2]
        elif lower.endswith("s'"):
            lower = lower[:-1]
        dictionary = english()
        if lower in dictionary:
            return True
        return any(form in dictionary for form in british_to_american(lower))

    def trusted_names(self) -> list[str]:
        """Return spellings the newsroom vouches for or has published at least twice."""
        return sorted(self.canonical | {n for n, c in self.names.items() if c >= 2})
