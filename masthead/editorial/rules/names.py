"""Name consistency: one person, place or organisation spelt two ways.

Two spellings count as the same name when they start with the same letter, are one or
two edits apart (one for short names) and either sound alike (same phonetic key) or are
a single edit apart. Forms that differ only by an ending ('Marevia', 'Marevian',
'Dastan's') are different words, not variants.
"""

from collections import Counter, defaultdict

from django.utils.translation import gettext as _
from rapidfuzz import process
from rapidfuzz.distance import Levenshtein

from ..findings import Finding
from ..lexicon import Lexicon, english
from ..phonetic import phonetic_key
from ..story import Story
from ..text import context, tokens

_SUFFIXES = ("s", "'s", "’s", "n", "an", "ian", "i", "ese", "ns", "is", "es", "ans")
# Capitalised words that are common English are not names ('March', 'Council').
_COMMON = 2000


def _is_common(word: str) -> bool:
    return english().get(word.lower(), 0) >= _COMMON


def name_mentions(story: Story) -> list[tuple[str, str, int, int]]:
    """Return (name, field, start, end) for each capitalised non-dictionary word."""
    mentions = []
    for segment in story.segments:
        for token in tokens(segment.text):
            if not token.capitalised:
                continue
            pieces = token.text.split("-")
            if len(pieces) > 1 and all(p[:1].isupper() for p in pieces):
                # 'Brandt-Osei' is compared whole too, so 'Brandt-Ose' is caught.
                whole = token.text.replace("’", "'").removesuffix("'s")
                mentions.append((whole, segment.field, token.start, token.start + len(whole)))
            offset = token.start
            for piece in pieces:
                word = piece.replace("’", "'")
                if word.endswith("'s"):
                    word = word[:-2]
                if (
                    len(word) >= 4
                    and word[1:].islower()
                    # A sentence's first word is a name only if no dictionary knows it.
                    and not (
                        token.sentence_start and offset == token.start and word.lower() in english()
                    )
                    and not _is_common(word)
                ):
                    mentions.append((word, segment.field, offset, offset + len(word)))
                offset += len(piece) + 1
    return mentions


def _ending_variant(a: str, b: str) -> bool:
    short, long = sorted((a, b), key=len)
    suffix = long[len(short) :]
    # 'Ouross' doubles the last letter: a typo, not an ending.
    return long.startswith(short) and suffix in _SUFFIXES and suffix != short[-1]


def same_name(a: str, b: str) -> bool:
    """Return whether ``a`` and ``b`` look like two spellings of one name."""
    if a == b or a[0].lower() != b[0].lower() or _ending_variant(a, b):
        return False
    distance = Levenshtein.distance(a.lower(), b.lower())
    limit = 1 if min(len(a), len(b)) <= 5 else 2
    if distance > limit:
        return False
    return distance == 1 or phonetic_key(a) == phonetic_key(b)


def _finding(rule, story, name, field, start, end, suggestion, message):
    segment = story.segment(field)
    return Finding(
        rule=rule,
        message=message,
        field=field,
        text=name,
        start=start,
        end=end,
        suggestion=suggestion,
        context=context(segment.text, start, end) if segment else "",
    )


def check_names(story: Story, lexicon: Lexicon) -> list[Finding]:
    """Return findings for names spelt two ways in the story or unlike the newsroom."""
    mentions = name_mentions(story)
    counts = Counter(name for name, *_rest in mentions)
    first_seen = {}
    for index, (name, *_rest) in enumerate(mentions):
        first_seen.setdefault(name, index)
    trusted = lexicon.trusted_names()
    trusted_set = set(trusted)
    wrong: dict[str, tuple[str, str]] = {}  # variant -> (preferred spelling, rule)

    # Within the story: the spelling the newsroom trusts wins, then the commoner one.
    names = sorted(counts, key=lambda n: (-(n in trusted_set), -counts[n], first_seen[n]))
    for i, preferred in enumerate(names):
        if preferred in wrong:
            continue
        for other in names[i + 1 :]:
            if other not in wrong and other not in trusted_set and same_name(preferred, other):
                wrong[other] = (preferred, "names.inconsistent")

    # Against the newsroom: a spelling it has never used, close to one it trusts.
    by_initial = defaultdict(list)
    for name in trusted:
        by_initial[name[0].lower()].append(name)
    for name in names:
        if name in wrong or name in trusted_set or lexicon.names.get(name, 0) >= 2:
            continue
        pool = by_initial.get(name[0].lower(), [])
        for candidate, _score, _index in process.extract(
            name, pool, scorer=Levenshtein.distance, score_cutoff=2, limit=5
        ):
            if same_name(candidate, name):
                wrong[name] = (candidate, "names.newsroom")
                break

    findings = []
    for name, field, start, end in mentions:
        if name not in wrong:
            continue
        preferred, rule = wrong[name]
        if rule == "names.inconsistent":
            message = _("“%(name)s” is also spelt “%(other)s” in this story.")
        else:
            message = _("“%(name)s” is spelt “%(other)s” in the newsroom's published stories.")
        findings.append(
            _finding(
                rule,
                story,
                name,
                field,
                start,
                end,
                preferred,
                message % {"name": name, "other": preferred},
            )
        )
    return findings
