"""Spelling: words that are neither English nor in the newsroom's dictionary."""

from collections import Counter
from dataclasses import replace

from django.utils.translation import gettext as _

from ..findings import Finding, Place
from ..lexicon import (
    FOREIGN_UNKNOWN,
    NAME_WORDS,
    PREFIXES,
    SENTENCE_RE,
    Lexicon,
    edits1,
    english,
    suggest,
    suggest_close,
)
from ..story import Segment, Story, own_words
from ..text import Token, context, tokens
from .titles import HEAD_WORDS

# A word this long is a pasted code, hash or URL fragment, not prose.
MAX_WORD = 30
# Capitalised words in these fields are names (a caption's "Hobbits", a credit's
# "Mirrys"); the names check reads them.
_NAME_KINDS = {"headline", "caption", "role", "attribution"}
# Credits and source lines hold only names and outlets.
_SKIP_KINDS = {"credit", "source"}
# A sentence with FOREIGN_UNKNOWN unknown words is in another language or a list of
# terms ("siempre", "esta", "puede"), not English with slips in it.
# Particles of names written in lower case between two capitalised words ('Arnel dela
# Vega', 'Quai des Orfèvres', 'Osama bin Laden').
_PARTICLE_MAX = 4
# A capitalised word opening a sentence is a slip only when one edit from a word this
# common (real names opening sentences are often one edit from a rarer word: 'Tiana').
_COMMON_OPENER = 5000
# A correction this common may stand in any institution's name ('Tropical Storm').
_COMMON_CORRECTION = 5000
# Words after which a capitalised word is a person's name ('Dr Oleg').
_BEFORE_PERSON = {
    "mr", "mrs", "ms", "dr", "prof", "sir", "dame", "lord", "lady", "judge", "representative",
    "rep", "congressman", "congresswoman", "king", "queen", "prince", "princess", "pope",
    "bishop", "archbishop", "cardinal", "father", "rev", "reverend", "captain", "colonel",
    "sergeant", "lieutenant", "officer", "detective", "coach", "saint",
}  # fmt: skip


def _parts(token: Token):
    """Yield the pieces of a hyphenated word with their own offsets."""
    offset = token.start
    for piece in token.text.split("-"):
        if piece:
            yield piece, offset
        offset += len(piece) + 1


def _starts_a_name(text: str, found, index: int) -> bool:
    """Return whether the capitalised word at ``index`` runs into another: 'Irina Valek'."""
    if index + 1 >= len(found):
        return False
    following = found[index + 1]
    return following.capitalised and not text[found[index].end : following.start].strip()


def _run_neighbours(text: str, found, index: int) -> list[Token]:
    """Return the capitalised words right before and after ``found[index]`` (one space)."""
    neighbours = []
    for other in (index - 1, index + 1):
        if 0 <= other < len(found) and found[other].capitalised:
            first, second = sorted((found[index], found[other]), key=lambda t: t.start)
            if text[first.end : second.start] == " ":
                neighbours.append(found[other])
    return neighbours


def _not_prose(text: str, found, index: int, lexicon: Lexicon) -> bool:
    """Return whether a lower-case word is part of something other than English prose.

    A handle or file name ('@peoplesvote-uk', 'raven_alwayz'), a word edited in square
    brackets ('[e]xtremely', 'shocking[ly]'), a name's particle between two capitalised
    words ('Arnel dela Vega'), or a species' second name after its genus ('Spheniscus
    magellanicus', 'P. damicornis').
    """
    token = found[index]
    before = text[token.start - 1] if token.start else ""
    after = text[token.end] if token.end < len(text) else ""
    if before in "@_#]/" and before or after in "_[/" and after:
        return True
    if before == "[" and token.start > 1 and text[token.start - 2].isalpha():
        return True  # 'shocking[ly]'

    previous = found[index - 1] if index else None
    following = found[index + 1] if index + 1 < len(found) else None
    if (
        len(token.text) <= _PARTICLE_MAX
        and previous is not None
        and following is not None
        and previous.capitalised
        and following.capitalised
        and text[previous.end : token.start] == " "
        and text[token.end : following.start] == " "
    ):
        return True
    if (
        previous is not None
        and previous.capitalised
        and text[previous.end : token.start] in (" ", ". ")
    ):
        genus = previous.text
        return len(genus) == 1 or not lexicon.is_word(genus)
    return False


def _sentence_of(text: str, position: int, bounds: list[tuple[int, int]]) -> int:
    for number, (start, end) in enumerate(bounds):
        if start <= position < end:
            return number
    return -1


def _misspelt_in_name(
    segment: Segment, found, index: int, lexicon: Lexicon, counts: Counter, own: set
) -> tuple[str, str] | None:
    """Return (word, correction) for a slip inside a title or institution's name.

    'the Supreme Cuort', 'Attorney Gneral', 'Tropical Sturm': a capitalised word no
    dictionary knows, used once, in a run of capitals, one edit from a common word.
    People's names also sit in runs of capitals and are often one edit from some word
    ('Tim Gunn', 'President Recep Tayyip'), so the correction must be a word names of
    places, institutions and titles are built from (``NAME_WORDS``), or else a common
    word in a run that holds no person: no title or honorific right before it, no
    word of the run that the dictionary lacks, no first name ('Tim') before it.
    """
    token = found[index]
    word = token.text.replace("’", "'").removesuffix("'s")
    if "-" in word or len(word) < 4 or not word.isascii() or not word[1:].islower():
        return None
    if counts[word] > 1 or word.lower() in own or lexicon.is_word(word):
        return None
    neighbours = _run_neighbours(segment.text, found, index)
    words = english()
    if not any("-" not in n.text and lexicon.is_word(n.text) for n in neighbours):
        return None
    lower = word.lower()
    # A slip keeps the first letter: 'Fars' is not a misspelt 'Wars'.
    close = [w for w in edits1(lower) if words.get(w, 0) > 50 and w[0] == lower[0]]
    of_names = [w for w in close if w in NAME_WORDS or w[-1] == "s" and w[:-1] in NAME_WORDS]
    if of_names:
        return word, max(of_names, key=lambda w: words[w]).capitalize()
    if not close:
        return None
    # A slip rarely falls on the last letter: a word with its
    # last letter added, dropped or changed ('Beto', 'Fars', 'Hulu', 'Albus') is a name.
    close = [w for w in close if lower[:-1] not in (w, w[:-1]) and w[:-1] != lower]
    if not close:
        return None
    correction = max(close, key=lambda w: words[w])
    run = _run(segment.text, found, index)
    before = found[index - 1].text.lower() if run[0] is not found[index] else ""
    if (
        words[correction] < _COMMON_CORRECTION
        or before in HEAD_WORDS
        or before in _BEFORE_PERSON
        or any(t is not token and words.get(t.text.lower(), 0) <= 50 for t in run)
        or any(
            t is not token and t.text.lower() not in NAME_WORDS | {"the"}
            for t in run[: run.index(token)]
        )
    ):
        return None
    return word, correction.capitalize()


def _run(text: str, found, index: int) -> list[Token]:
    """Return the run of capitalised words, one space apart, that holds ``found[index]``."""
    first = last = index
    while (
        first > 0
        and found[first - 1].capitalised
        and text[found[first - 1].end : found[first].start] == " "
    ):
        first -= 1
    while (
        last + 1 < len(found)
        and found[last + 1].capitalised
        and text[found[last].end : found[last + 1].start] == " "
    ):
        last += 1
    return list(found[first : last + 1])


def check_spelling(story: Story, lexicon: Lexicon) -> list[Finding]:
    """Return a finding for each word that no dictionary knows, with the likeliest fix.

    Capitalised words in mid-sentence, in the headline, or opening a sentence as the
    first of several capitalised words are names; the name checks look after those,
    except a slip inside a title or institution ('Supreme Cuort'). Any other capitalised
    word opening a sentence is only reported when it is close to a common English word
    and the story never uses it as a name. A sentence full of unknown words is another
    language. Each unknown word is reported once, with the other places it occurs.
    """
    segment_tokens = [
        (segment, tokens(segment.text))
        for segment in story.segments
        if segment.kind not in _SKIP_KINDS
    ]
    own = own_words(story)
    counts = Counter(
        token.text.replace("’", "'").removesuffix("'s")
        for _segment, found in segment_tokens
        for token in found
    )
    names = {
        piece
        for _segment, found in segment_tokens
        for token in found
        if token.capitalised and not token.sentence_start
        for piece, _offset in _parts(token)
    }
    known: dict[str, bool] = {}
    findings = []
    for segment, found in segment_tokens:
        bounds = [(m.start(), m.end()) for m in SENTENCE_RE.finditer(segment.text)]
        candidates: list[tuple[int, Finding]] = []
        unknown_per_sentence: Counter = Counter()
        for index, token in enumerate(found):
            if token.capitalised and (
                not token.sentence_start
                or segment.kind in _NAME_KINDS
                or _starts_a_name(segment.text, found, index)
            ):
                slip = _misspelt_in_name(segment, found, index, lexicon, counts, own)
                if slip:
                    word, correction = slip
                    candidates.append(
                        (
                            _sentence_of(segment.text, token.start, bounds),
                            Finding(
                                rule="spelling.in_name",
                                message=_(
                                    "“%(word)s” is not in the dictionary; in a name or title it may be “%(fix)s”."
                                )
                                % {"word": word, "fix": correction},
                                field=segment.field,
                                text=word,
                                start=token.start,
                                end=token.start + len(word),
                                suggestion=correction,
                                context=context(segment.text, token.start, token.start + len(word)),
                            ),
                        )
                    )
                continue
            if _not_prose(segment.text, found, index, lexicon):
                continue
            pieces = list(_parts(token))
            for number, (piece, start) in enumerate(pieces):
                word = piece.replace("’", "'")
                if word.lower().endswith("'s"):
                    if word[:1].isupper():
                        # A capitalised possessive is a name; the names check reads it.
                        continue
                    word = word[:-2]
                if len(word) < 2 or len(word) > MAX_WORD or word.isupper():
                    continue
                if word[:1].isupper() and (word in names or not word[1:].islower() or number > 0):
                    # 'al-Eryani', 'el-Sisi': a capitalised piece is a name.
                    continue
                lower = word.lower()
                if lower in own or (number < len(pieces) - 1 and lower in PREFIXES):
                    continue
                if word not in known:
                    known[word] = lexicon.is_word(word)
                if known[word]:
                    continue
                sentence = _sentence_of(segment.text, start, bounds)
                unknown_per_sentence[sentence] += 1
                if not word.isascii():
                    continue  # another language's word ('seré', 'próximo')
                if word[:1].isupper():
                    # Opening a sentence: a name ('Rudaw reports', 'Tiana from ...') unless
                    # one edit from a common word ('Goverment', 'Teh').
                    suggestion = suggest_close(lower)
                    if english().get(suggestion, 0) < _COMMON_OPENER:
                        continue
                    suggestion = suggestion.capitalize()
                else:
                    suggestion = suggest(word)
                end = start + len(word)
                candidates.append(
                    (
                        sentence,
                        Finding(
                            rule="spelling.unknown_word",
                            message=_("“%(word)s” is not in the dictionary.") % {"word": word},
                            field=segment.field,
                            text=word,
                            start=start,
                            end=end,
                            suggestion=suggestion,
                            context=context(segment.text, start, end),
                        ),
                    )
                )
        findings.extend(
            finding
            for sentence, finding in candidates
            if unknown_per_sentence[sentence] < FOREIGN_UNKNOWN
        )
    return _once_per_word(findings)


def _once_per_word(findings: list[Finding]) -> list[Finding]:
    """Return one finding per unknown word, listing where else the story uses it.

    A term the story means ('fursuit', nine times) is then one finding to accept, and a
    word misspelt throughout is still reported.
    """
    first: dict[str, Finding] = {}
    others: dict[str, list[Place]] = {}
    for finding in findings:
        key = finding.text.lower()
        if key in first:
            others[key].append(Place(finding.field, finding.start, finding.end, finding.text))
        else:
            first[key], others[key] = finding, []
    return [
        replace(finding, others=tuple(others[key])) if others[key] else finding
        for key, finding in first.items()
    ]
