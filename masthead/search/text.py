"""Text normalisation shared by indexing and querying: accent folding and English stems.

The database backends fold only combining accents (SQLite's unicode61) or nothing at
all (PostgreSQL without the unaccent extension), and letters such as the schwa (ə) are
not accents at all. Folding and stemming here, identically at index and query time,
makes "Azərbaycan" find "Azerbaycan" (and back) and "talks" find "talk" on both
engines.
"""

import re
import unicodedata
from functools import lru_cache

import snowballstemmer

# Letters that Unicode does not decompose into a base letter and a combining mark.
_LETTERS = str.maketrans(
    {
        "ə": "e",
        "Ə": "e",
        "ı": "i",
        "İ": "i",
        "ł": "l",
        "Ł": "l",
        "ø": "o",
        "Ø": "o",
        "đ": "d",
        "Đ": "d",
        "ð": "d",
        "Ð": "d",
        "þ": "th",
        "Þ": "th",
        "ß": "ss",
        "æ": "ae",
        "Æ": "ae",
        "œ": "oe",
        "Œ": "oe",
        "ħ": "h",
        "ŋ": "n",
        "’": "'",
    }
)
_WORD = re.compile(r"[a-z0-9]+")
_STEMMER = snowballstemmer.stemmer("english")

# Words too common to help ranking; dropped from plain (unquoted) queries unless the
# query has nothing else. Phrases keep them, so "Bank of Marevia" stays exact.
STOPWORDS = frozenset(
    [
        "a",
        "an",
        "and",
        "are",
        "as",
        "at",
        "be",
        "but",
        "by",
        "for",
        "from",
        "has",
        "have",
        "he",
        "her",
        "his",
        "in",
        "into",
        "is",
        "it",
        "its",
        "of",
        "on",
        "or",
        "our",
        "she",
        "that",
        "the",
        "their",
        "them",
        "they",
        "this",
        "to",
        "was",
        "were",
        "will",
        "with",
    ]
)


def fold(text: str) -> str:
    """Return ``text`` lower-cased with accents and special letters folded to ASCII."""
    text = text.translate(_LETTERS)
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return stripped.translate(_LETTERS).lower()


def words(text: str) -> list[str]:
    """Return the folded words of ``text``: runs of ASCII letters and digits."""
    return [w for raw in text.split() for w in _raw_words(raw)]


@lru_cache(maxsize=200_000)
def _raw_words(raw: str) -> tuple[str, ...]:
    return tuple(_WORD.findall(fold(raw)))


@lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    """Return the English (Snowball) stem of a folded word."""
    return _STEMMER.stemWord(word)


@lru_cache(maxsize=200_000)
def word_terms(raw: str) -> tuple[str, ...]:
    """Return the index terms of one whitespace-free piece of text (cached)."""
    return tuple(stem(w) for w in _raw_words(raw))


def terms(text: str) -> list[str]:
    """Return the index terms of ``text``: folded words reduced to their stems."""
    return [t for raw in text.split() for t in word_terms(raw)]


def index_text(*texts: str) -> str:
    """Return the normalised form of ``texts`` as one space-separated string."""
    return " ".join(term for text in texts if text for term in terms(text))
