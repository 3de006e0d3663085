"""The words the checks accept: an English dictionary plus the newsroom's own.

The English word list ships inside pyspellchecker. The newsroom adds its editable word
list and the proper nouns that its published stories use (see ``newsroom.py``).
"""

import functools
import re
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


@functools.lru_cache(maxsize=4096)
def edits1(word: str) -> frozenset[str]:
    """Return every string one deletion, swap, replacement or insertion from ``word``."""
    splits = [(word[:i], word[i:]) for i in range(len(word) + 1)]
    deletes = [a + b[1:] for a, b in splits if b]
    transposes = [a + b[1] + b[0] + b[2:] for a, b in splits if len(b) > 1]
    replaces = [a + c + b[1:] for a, b in splits if b for c in _ALPHABET]
    inserts = [a + c + b for a, b in splits for c in _ALPHABET]
    return frozenset(deletes + transposes + replaces + inserts)


@functools.lru_cache(maxsize=4096)
def suggest(word: str) -> str:
    """Return the likeliest English word within two edits of ``word``, or ''."""
    words = english()
    lower = word.lower()
    close = suggest_close(lower)
    if close:
        return close
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
    if "oeuvre" in word:
        forms.append(word.replace("oeuvre", "euver"))
    if "llery" in word:
        forms.append(word.replace("llery", "lry"))
    return forms


# Words of news copy that the subtitle-based English list lacks: units and abbreviations
# that stories write in lower case, and newsroom vocabulary. Each was a false finding on
# the published Wikinews stories (tests/data/wikinews-2019).
NEWS_WORDS = frozenset(
    """
    km kg mph kph ft lbs lb cm mm mg ml sq hr hrs yr yrs pm am mw kw kwh gw bn tech app apps
    texting versa masse olds online offline website webpage livestream whistleblower
    lockdown lockdowns wastewater watchlist thinktank onsite photoshoot unvaccinated
    exoplanet exoplanets preprint facto tem
    """.split()  # noqa: SIM905 - a word list, easier to read than a list of strings
)
# Common words that proper names of places, institutions, events and titles are built
# from ("Gulf Coast", "Supreme Court", "Main Street", "Attorney General"). A slip in one
# of them inside a run of capitals is a misspelling, not somebody's unusual name.
NAME_WORDS = frozenset(
    """
    gulf coast bay river lake sea ocean island islands mountain mountains mount valley hill
    hills park street avenue road lane square bridge station port harbour harbor canal cape
    desert forest falls beach county city town village state states province district region
    territory north south east west northern southern eastern western central upper lower
    new great united national international federal royal republic kingdom union court
    supreme high appeals justice department ministry office agency service bureau
    administration commission committee council assembly parliament senate house congress
    party bank reserve fund foundation institute university college school academy hospital
    museum library church cathedral temple mosque society association federation league club
    company corporation group authority board force army navy marine marines guard police
    fire security intelligence health education energy defence defense foreign affairs
    interior finance treasury trade commerce labour labor environment transport agriculture
    general attorney secretary minister president governor mayor chief director prime deputy
    vice senator representative commissioner ambassador chancellor speaker judge inspector
    sheriff commander captain admiral colonel sergeant lieutenant officer executive chairman
    chair spokesman spokeswoman professor doctor games championship championships cup
    festival award awards prize war summit conference olympics world gallery theatre theater
    center centre hall tower palace castle airport airline airlines railway news times post
    journal herald daily press television radio network channel bulletin review studio
    studios records emergency emergencies rescue public social democratic liberal
    conservative green people peoples popular workers agreement treaty act accord protocol
    task joint combined cross red crescent marathon storm hurricane typhoon cyclone
    depression tropical guardian observer telegraph tribune
    """.split()  # noqa: SIM905 - a word list, easier to read than a list of strings
)
# Prefixes written with a hyphen ("pre-season", "multi-party"): a piece, not a word.
PREFIXES = frozenset(
    """
    pre post multi bio intra inter non anti co re sub mid semi ex eco geo micro mega mini
    neo pro tri bi uni vice cross self counter over under out super ultra
    """.split()  # noqa: SIM905 - a word list, easier to read than a list of strings
)
_ENDINGS = (("s", ""), ("es", ""), ("ly", ""), ("ing", ""), ("ing", "e"), ("ed", ""),
            ("ed", "e"), ("er", ""), ("ers", ""), ("ness", ""), ("ally", "al"))  # fmt: skip
# A word this frequent is an ordinary word, safe as half of a compound ("lock"+"down").
_COMPOUND_PART = 500


def is_inflection(lower: str) -> bool:
    """Return whether ``lower`` is a known word plus a regular ending ('exoplanets').

    A slip in front of an ending ('begining', 'occured') also leaves a known stem, so a
    word with a common neighbour one edit away, other than its stem, is not accepted.
    """
    words = english()
    stems = set()
    for ending, stem_end in _ENDINGS:
        if lower.endswith(ending) and len(lower) - len(ending) >= 3:
            stem = lower[: -len(ending)] + stem_end
            if words.get(stem, 0) > 50 or stem in NEWS_WORDS:
                stems.add(stem)
    if not stems:
        return False
    close = {w for w in edits1(lower) if words.get(w, 0) > 50}
    return not (close - stems)


def is_compound(lower: str) -> bool:
    """Return whether ``lower`` is two common words run together ('sevengill').

    A slip that drops a letter can also split into two words ('spokeman': 'spoke' and
    'man'), so a word with a common neighbour one edit away is not taken as a compound.
    """
    words = english()
    halves = any(
        words.get(lower[:i], 0) >= _COMPOUND_PART and words.get(lower[i:], 0) >= _COMPOUND_PART
        for i in range(3, len(lower) - 2)
    )
    return halves and not suggest_close(lower)


SENTENCE_RE = re.compile(r"[^.!?…]+[.!?…]*")
_LOWER_WORD_RE = re.compile(r"(?<![\w'’-])[a-zà-ÿ]+(?![\w'’-])")
# A sentence with this many lower-case words no dictionary knows is in another language.
FOREIGN_UNKNOWN = 3


@functools.lru_cache(maxsize=2048)
def foreign_spans(text: str) -> tuple[tuple[int, int], ...]:
    """Return the spans of sentences in another language ('En mon nom et celui des ...')."""
    words = english()
    spans = []
    for sentence in SENTENCE_RE.finditer(text):
        unknown = sum(
            1
            for w in _LOWER_WORD_RE.findall(sentence.group())
            if w not in words and w not in NEWS_WORDS
        )
        if unknown >= FOREIGN_UNKNOWN:
            spans.append(sentence.span())
    return tuple(spans)


@functools.lru_cache(maxsize=4096)
def suggest_close(lower: str) -> str:
    """Return the commonest word one edit (or one swap) away from ``lower``, or ''."""
    words = english()
    close = [w for w in edits1(lower) if words.get(w, 0) > 50]
    return max(close, key=lambda w: words[w]) if close else ""


@dataclass
class Lexicon:
    """Everything the checks know beyond the text itself."""

    words: set[str] = field(default_factory=set)  # editable list, lower-cased
    # Proper-noun spellings with how many published stories use them.
    names: Counter = field(default_factory=Counter)
    # Spellings the newsroom vouches for: topic and author names and the word list.
    canonical: set[str] = field(default_factory=set)
    # Which of those are first names and which surnames of its staff and person topics,
    # so a surname is never "corrected" to a first name. Class-level defaults keep a
    # Lexicon pickled in the cache before these fields existed readable.
    first_names: frozenset = frozenset()
    surnames: frozenset = frozenset()
    full_names: frozenset = frozenset()  # (first name, surname) pairs

    def is_word(self, word: str) -> bool:
        lower = word.lower().replace("’", "'")
        if lower in self.words or word in self.names or word in self.canonical:
            return True
        if lower.endswith("'s"):
            lower = lower[:-2]
        elif lower.endswith("s'"):
            lower = lower[:-1]
        dictionary = english()
        if lower in dictionary or lower in NEWS_WORDS:
            return True
        if any(form in dictionary for form in british_to_american(lower)):
            return True
        return is_inflection(lower) or is_compound(lower)

    def trusted_names(self) -> list[str]:
        """Return spellings the newsroom vouches for or has published at least twice."""
        return sorted(self.canonical | {n for n, c in self.names.items() if c >= 2})
