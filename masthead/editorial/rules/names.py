"""Name consistency: one person, place or organisation spelt two ways.

Every field a copy desk reads counts: headline, standfirst, body, quotes and who said
them, captions, credits and the source line. A name is a capitalised word that is not
common English ('Valek', 'Aceh'); its variants are any capitalised word close to it,
short ones ('Ach') and English words ('Moron' for 'Meron') included.

Two spellings count as one name when they are one edit apart (a swap of two letters is
one edit), or two edits apart and sound alike, or start with letters that sound alike
('Cohen'/'Kohen', 'Philips'/'Filips'). Sounding alike is jellyfish's Metaphone or NYSIIS
key (a maintained library made for this; it replaced a key of our own). Forms that
differ only by an ending ('Marevia', 'Marevian', 'Dastan's') are different words, and two
words the English dictionary both knows ('Iran', 'Iraq') are two words, not a slip.
"""

from collections import Counter, defaultdict
from dataclasses import dataclass

import jellyfish
from django.utils.translation import gettext as _
from rapidfuzz import process
from rapidfuzz.distance import OSA

from ..findings import Finding, Place
from ..lexicon import Lexicon, english, foreign_spans
from ..story import Story, own_words
from ..text import context, tokens
from .titles import HEAD_WORDS

_SUFFIXES = ("s", "'s", "’s", "n", "an", "ian", "i", "ese", "ns", "is", "es", "ans")
# Capitalised words that are common English are not names ('March', 'Council').
_COMMON = 2000
_HONORIFICS = {"Mr", "Mrs", "Ms", "Dr", "Prof", "Sir", "Dame", "Lord", "Lady"}
# A variant that is itself an English word ('Moron') is only taken for a name that the
# story uses at least this often, and only where it stands as a name.
_ESTABLISHED = 2


@dataclass(frozen=True)
class Mention:
    word: str
    field: str
    start: int
    end: int
    sentence_start: bool
    before: str  # the capitalised word right before it ('Jane' in 'Jane Meron'), or ''
    after: str  # the capitalised word right after it, or ''
    follows: str = ""  # the next word, whatever its case ('said')


def _is_common(word: str) -> bool:
    return english().get(word.lower(), 0) >= _COMMON


def _in_dictionary(word: str) -> bool:
    return word.lower() in english()


def capitalised_mentions(story: Story) -> list[Mention]:
    """Return every capitalised word of three letters or more, hyphenated parts included."""
    mentions = []
    for segment in story.segments:
        found = tokens(segment.text)
        foreign = foreign_spans(segment.text)
        for index, token in enumerate(found):
            if not token.capitalised or any(a <= token.start < b for a, b in foreign):
                continue
            before = after = ""
            previous = found[index - 1] if index else None
            following = found[index + 1] if index + 1 < len(found) else None
            if previous and previous.sentence_start and _is_common(previous.text):
                previous = None  # 'Later Vallek said': a sentence's first word, not a first name
            if (
                previous
                and previous.capitalised
                and segment.text[previous.end : token.start] == " "
            ):
                before = previous.text
            if (
                following
                and following.capitalised
                and segment.text[token.end : following.start] == " "
            ):
                after = following.text
            follows = following.text.lower() if following else ""
            possessive = token.text.endswith(("'s", "’s"))
            pieces = token.text.split("-")
            if len(pieces) > 1 and all(p[:1].isupper() for p in pieces):
                # 'Brandt-Osei' is compared whole too, so 'Brandt-Ose' is caught.
                whole = token.text.replace("’", "'").removesuffix("'s")
                mentions.append(
                    Mention(
                        whole,
                        segment.field,
                        token.start,
                        token.start + len(whole),
                        token.sentence_start,
                        before,
                        after,
                    )
                )
            offset = token.start
            for number, piece in enumerate(pieces):
                word = piece.replace("’", "'").removesuffix("'s")
                if len(word) >= 3 and word[:1].isupper() and word[1:].islower():
                    mentions.append(
                        Mention(
                            word,
                            segment.field,
                            offset,
                            offset + len(word),
                            token.sentence_start and number == 0,
                            before if number == 0 else "",
                            after if number == len(pieces) - 1 else "",
                            "'s" if possessive else follows,
                        )
                    )
                offset += len(piece) + 1
    return mentions


def _is_name(mention: Mention) -> bool:
    """Return whether a mention is a name the story establishes (not common English)."""
    word = mention.word
    if len(word) < 4 or _is_common(word):
        return False
    # A sentence's first word is a name only if no dictionary knows it.
    return not (mention.sentence_start and _in_dictionary(word))


def name_mentions(story: Story) -> list[tuple[str, str, int, int]]:
    """Return (name, field, start, end) for each capitalised non-dictionary word."""
    return [(m.word, m.field, m.start, m.end) for m in capitalised_mentions(story) if _is_name(m)]


# Endings that make another word of a name: 'Kurds'/'Kurdish', 'Iraqis'/'Iraqian'.
_STEM_ENDINGS = ("ish", "ian", "ans", "ese", "es", "an", "s")


def _stem(word: str) -> tuple[str, str]:
    for ending in _STEM_ENDINGS:
        if word.endswith(ending) and len(word) - len(ending) >= 4:
            return word[: -len(ending)], ending
    return word, ""


def _ending_variant(a: str, b: str) -> bool:
    """Return whether two words are forms of one ('Marevia'/'Marevian', 'Kurds'/'Kurdish')."""
    short, long = sorted((a, b), key=len)
    if short in long.split("-"):
        return True  # 'Combinator' in 'Y-Combinator'
    suffix = long[len(short) :]
    # 'Ouross' doubles the last letter: a typo, not an ending.
    if long.startswith(short) and suffix in _SUFFIXES and suffix != short[-1]:
        return True
    (stem_a, end_a), (stem_b, end_b) = _stem(a), _stem(b)
    return bool(end_a and end_b and end_a != end_b and stem_a == stem_b)


def sound_alike(a: str, b: str) -> bool:
    """Return whether two words share jellyfish's Metaphone or NYSIIS key."""
    return jellyfish.metaphone(a) == jellyfish.metaphone(b) or jellyfish.nysiis(
        a
    ) == jellyfish.nysiis(b)


def same_name(a: str, b: str) -> bool:
    """Return whether ``a`` and ``b`` look like two spellings of one name."""
    if a == b or _ending_variant(a, b):
        return False
    if _in_dictionary(a) and _in_dictionary(b):
        return False
    distance = OSA.distance(a.lower(), b.lower())
    if distance > 2 or (distance == 2 and min(len(a), len(b)) < 4):
        return False
    if a[0].lower() != b[0].lower() or distance == 2:
        return sound_alike(a, b)
    return True


_SAYS = {"said", "says", "told", "added", "asked", "explained", "stated", "wrote", "'s"}


def _stands_as_name(mention: Mention, established: str, story_words: dict) -> bool:
    """Return whether an English word is used where the name ``established`` would be.

    'Jane Moron' when the story has 'Jane Meron'; 'Moron said'; 'Ms Moron'; a capitalised
    word alone in mid-sentence. Never 'Moron is a harsh word' opening a sentence.
    """
    if mention.follows in _SAYS:
        return True
    if mention.before:
        return mention.before in story_words.get(established, set()) or (
            mention.before in _HONORIFICS or mention.before.lower() in HEAD_WORDS
        )
    return not mention.sentence_start and mention.field != "title"


def _finding(rule, story, mention: Mention, suggestion, message, others):
    segment = story.segment(mention.field)
    return Finding(
        rule=rule,
        message=message,
        field=mention.field,
        text=mention.word,
        start=mention.start,
        end=mention.end,
        suggestion=suggestion,
        context=context(segment.text, mention.start, mention.end) if segment else "",
        others=tuple(others),
    )


def _roles(mentions: list[Mention]) -> tuple[set[str], set[str]]:
    """Return the words a name is preceded by and followed by in full names."""
    before, after = set(), set()
    for m in mentions:
        if m.before and m.before not in _HONORIFICS and m.before.lower() not in HEAD_WORDS:
            before.add(m.before)
        if m.after:
            after.add(m.after)
    return before, after


def _role(before: set, after: set) -> str:
    if before:
        return "surname"
    return "first name" if after else ""


def _close_to_any(words: set, others: set) -> bool:
    return any(a == b or same_name(a, b) for a in words for b in others)


def _another_person(
    name: str, candidate: str, mentions: list[Mention], theirs: list[Mention], lexicon: Lexicon
) -> bool:
    """Return whether ``name`` and ``candidate`` belong to two different people.

    A surname is never "corrected" to a first name ('Jan Marek' is not 'Marko Lind'), a
    first name never to a surname, and a full name never to another person's full name.
    Roles come from the story ('Jan Marek', 'Marko Lindd' in a credit) and from the
    newsroom's staff and person topics.
    """
    before, after = _roles(mentions)
    their_before, their_after = _roles(theirs)
    for first, last in lexicon.full_names:
        if candidate == first:
            their_after.add(last)
        if candidate == last:
            their_before.add(first)
    role = _role(before, after)
    if candidate in lexicon.first_names and candidate not in lexicon.surnames:
        # Only a word the story uses as a first name ('Marko Lind') can be one.
        if role != "first name":
            return True
        their_role = "first name"
    elif candidate in lexicon.surnames and candidate not in lexicon.first_names:
        their_role = "surname"
    else:
        their_role = _role(their_before, their_after)
    if role and their_role and role != their_role:
        return True
    if before and their_before and not _close_to_any(before, their_before):
        return True
    return bool(after and their_after and not _close_to_any(after, their_after))


def check_names(story: Story, lexicon: Lexicon) -> list[Finding]:
    """Return findings for names spelt two ways in the story or unlike the newsroom."""
    mentions = capitalised_mentions(story)
    own = own_words(story)
    by_word: dict[str, list[Mention]] = defaultdict(list)
    for mention in mentions:
        by_word[mention.word].append(mention)
    names_found = {m.word for m in mentions if _is_name(m)}
    counts = Counter(m.word for m in mentions)
    first_seen = {}
    for index, mention in enumerate(mentions):
        first_seen.setdefault(mention.word, index)
    trusted = lexicon.trusted_names()
    # The outlet's own name ('Riverwatch' for riverwatch.org) is as trusted as the newsroom's.
    trusted_set = set(trusted) | {m.word for m in mentions if m.word.lower() in own}
    firsts = {word: {m.before for m in ms if m.before} for word, ms in by_word.items()}
    wrong: dict[str, tuple[str, str]] = {}  # variant -> (preferred spelling, rule)

    # Within the story: the spelling the newsroom trusts wins, then the commoner one.
    names = sorted(names_found, key=lambda n: (-(n in trusted_set), -counts[n], first_seen[n]))
    candidates = sorted(by_word, key=lambda n: first_seen[n])
    lowered = [c.lower() for c in candidates]
    for preferred in names:
        if preferred in wrong:
            continue
        for _match, _distance, index in process.extract(
            preferred.lower(), lowered, scorer=OSA.distance, score_cutoff=2, limit=None
        ):
            other = candidates[index]
            if other in wrong or other in trusted_set or other == preferred:
                continue
            if other in names_found or not _in_dictionary(other):
                if counts[other] > counts[preferred] and preferred not in trusted_set:
                    continue
            elif not (
                counts[preferred] >= _ESTABLISHED
                and counts[other] < counts[preferred]
                and any(_stands_as_name(m, preferred, firsts) for m in by_word[other])
            ):
                # An English word ('Moron') only stands for an established name.
                continue
            if same_name(preferred, other) and not _another_person(
                other, preferred, by_word[other], by_word[preferred], lexicon
            ):
                wrong[other] = (preferred, "names.inconsistent")

    # Against the newsroom: a spelling it has never used, close to one it trusts.
    by_initial = defaultdict(list)
    for name in trusted:
        by_initial[name[0].lower()].append(name)
    for name in names:
        if name in wrong or name in trusted_set or lexicon.names.get(name, 0) >= 2:
            continue
        if _in_dictionary(name):
            continue  # a word the dictionary knows ('Iran') is not a misspelt 'Irina'

        pool = by_initial.get(name[0].lower(), [])
        for candidate, _score, _index in process.extract(
            name, pool, scorer=OSA.distance, score_cutoff=2, limit=5
        ):
            if same_name(candidate, name) and not _another_person(
                name, candidate, by_word[name], by_word.get(candidate, []), lexicon
            ):
                wrong[name] = (candidate, "names.newsroom")
                break

    findings = []
    for mention in mentions:
        if mention.word not in wrong:
            continue
        preferred, rule = wrong[mention.word]
        others = [Place(m.field, m.start, m.end, m.word) for m in by_word.get(preferred, [])]
        if rule == "names.inconsistent":
            message = _("“%(name)s” is also spelt “%(other)s” in this story.")
        else:
            message = _("“%(name)s” is spelt “%(other)s” in the newsroom's published stories.")
        findings.append(
            _finding(
                rule,
                story,
                mention,
                preferred,
                message % {"name": mention.word, "other": preferred},
                others,
            )
        )
    return findings
