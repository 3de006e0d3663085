"""A small phonetic key for names, so that 'Valek' and 'Vallek' sound alike."""

import unicodedata

_VOWELS = set("AEIOUY")
# Letter groups that sound alike in names, reduced to one symbol each.
_DIGRAPHS = (
    ("PH", "F"),
    ("CK", "K"),
    ("SCH", "S"),
    ("SH", "S"),
    ("CH", "K"),
    ("TH", "T"),
    ("GH", "G"),
    ("KH", "K"),
    ("DZ", "Z"),
    ("TZ", "Z"),
    ("WR", "R"),
    ("KN", "N"),
)
_SINGLE = str.maketrans(
    {"C": "K", "Q": "K", "X": "K", "Z": "S", "W": "V", "J": "Y", "D": "T", "B": "P", "G": "K"}
)


def fold(word: str) -> str:
    """Return ``word`` upper-cased with accents removed and only letters kept."""
    decomposed = unicodedata.normalize("NFKD", word)
    return "".join(ch for ch in decomposed if ch.isalpha() and ch.isascii()).upper()


def phonetic_key(word: str) -> str:
    """Return a Metaphone-like key: first letter, then consonant sounds without repeats.

    Vowels after the first letter are dropped, similar-sounding consonants share a symbol
    and doubled letters collapse, so common misspellings of a name keep the same key.
    """
    letters = fold(word)
    if not letters:
        return ""
    for group, sound in _DIGRAPHS:
        letters = letters.replace(group, sound)
    head, tail = letters[0], letters[1:].translate(_SINGLE)
    key = [head.translate(_SINGLE) if head not in _VOWELS else "A"]
    for ch in tail:
        if ch in _VOWELS or ch == "H":
            key.append("")
            continue
        if key[-1] != ch:
            key.append(ch)
    return "".join(key)
