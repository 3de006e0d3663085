"""Place one mistake of a known kind in a story that nobody here wrote.

The generator works on any Story (the published Wikinews stories, our own clean
stories) and knows nothing of the rules: it finds people, titles and names of
institutions with its own simple patterns and a plain English word list, changes one of
them the way a reporter slips, and labels the span the checks should report.

Classes (``CLASSES``), each with the kinds of change it makes:

- ``respelt_name``: a person's surname respelt at a later mention: a vowel changed,
  inserted or dropped, a letter doubled or made single, two letters swapped, a first
  letter swapped for one that sounds alike (C/K, Ph/F).
- ``name_in_title``: a capitalised English word inside a name or title misspelt
  ('the Supreme Cuort', 'Main Stret').
- ``title_caption``: the body's title for a person given in another word order in the
  lead picture's caption ('Director Deputy Jane Doe at ...').
- ``appositive_title``: the same, in a sentence added to the body as an appositive
  between commas ('The Director Deputy, Jane Doe, ...').
- ``staff_name``: a staffer's surname misspelt in the picture credit, while the
  newsroom also has a staffer whose first name looks like a surname in the story (the
  trap: that person must not be "corrected" to the staffer).
"""

import copy
import random
import re
from dataclasses import dataclass, field

from masthead.editorial.lexicon import Lexicon, english
from masthead.editorial.newsroom import people_names
from masthead.editorial.story import Segment, Story

CLASSES = ("respelt_name", "name_in_title", "title_caption", "appositive_title", "staff_name")
NAME_CHANGES = (
    "vowel_changed",
    "vowel_inserted",
    "vowel_dropped",
    "letter_doubled",
    "letter_single",
    "letters_swapped",
    "first_letter_sounds_alike",
)
_VOWELS = "aeiou"
_OTHER_VOWEL = {"a": "e", "e": "a", "i": "e", "o": "u", "u": "o"}
# Words that, ending a run of capitals before a name, make it a job title.
_JOBS = {
    "minister", "president", "director", "governor", "secretary", "spokesman",
    "spokeswoman", "spokesperson", "chief", "commissioner", "senator", "mayor",
    "ambassador", "chair", "chairman", "chairwoman", "leader", "general", "judge",
    "officer", "prosecutor", "attorney", "adviser", "advisor", "representative",
    "manager", "editor", "chancellor", "premier", "inspector", "commander", "head",
}  # fmt: skip
_TITLE_BEFORE_NAME = re.compile(
    r"\b((?:[A-Z][a-z]+ ){1,3})([A-Z][a-z]+(?:-[A-Z][a-z]+)? [A-Z][a-z]+(?:-[A-Z][a-z]+)?)"
    r"\b(?! [A-Z])"
)
_SURNAMES = ["Lindqvist", "Okafor", "Brennan", "Castell", "Varga", "Moretti", "Sorensen"]


@dataclass
class Placed:
    key: str  # the source story's key
    kind: str  # one of CLASSES
    change: str  # how: 'vowel_changed', 'reordered', ...
    check: str  # the check that should report it
    field: str
    start: int
    end: int
    story: Story
    lexicon: Lexicon = field(default_factory=Lexicon)
    note: str = ""
    # For staff_name: the story's surname that looks like a staffer's first name.
    trap: str = ""


def _is_english(word: str) -> bool:
    return word.lower() in english()


def respell(name: str, change: str) -> str:
    """Return ``name`` changed in one of the ways in NAME_CHANGES, or '' if it cannot be."""
    lower = name.lower()
    inner = range(1, len(name))
    if change == "vowel_changed":
        spots = [i for i in inner if lower[i] in _VOWELS]
        if spots:
            i = spots[len(spots) // 2]
            return name[:i] + _OTHER_VOWEL[lower[i]] + name[i + 1 :]
    elif change == "vowel_inserted":
        spots = [
            i
            for i in range(2, len(name))
            if lower[i] not in _VOWELS and lower[i - 1] not in _VOWELS
        ]
        spots = spots or [i for i in range(2, len(name)) if lower[i] not in _VOWELS]
        if spots:
            i = spots[0]
            vowel = "e" if lower[i - 1] != "e" else "a"
            return name[:i] + vowel + name[i:]
    elif change == "vowel_dropped":
        spots = [i for i in inner if lower[i] in _VOWELS and i < len(name) - 1]
        if spots and len(name) > 3:
            i = spots[-1]
            return name[:i] + name[i + 1 :]
    elif change == "letter_doubled":
        spots = [i for i in inner if lower[i] not in _VOWELS and lower[i] != lower[i - 1]]
        if spots:
            i = spots[0]
            return name[: i + 1] + name[i] + name[i + 1 :]
    elif change == "letter_single":
        spots = [i for i in range(1, len(name) - 1) if lower[i] == lower[i + 1]]
        if spots:
            i = spots[0]
            return name[:i] + name[i + 1 :]
    elif change == "letters_swapped":
        spots = [i for i in range(1, len(name) - 1) if lower[i] != lower[i + 1]]
        if spots:
            i = spots[len(spots) // 2]
            return name[:i] + name[i + 1] + name[i] + name[i + 2 :]
    elif change == "first_letter_sounds_alike":
        for old, new in (("Ph", "F"), ("F", "Ph"), ("C", "K"), ("K", "C")):
            if name.startswith(old) and (old != "C" or lower[1:2] in ("a", "o", "u", "l", "r")):
                return new + name[len(old) :]
    return ""


def _body(story: Story) -> list[Segment]:
    return [s for s in story.segments if s.kind == "paragraph"]


def _surnames(story: Story) -> list[tuple[str, str]]:
    """Return (first name, surname) of people the body names in full, then mentions again."""
    people = []
    seen = set()
    body = " ".join(s.text for s in _body(story))
    for match in re.finditer(r"\b([A-Z][a-z]+) ([A-Z][a-z]{2,})\b(?!-)", body):
        first, last = match.groups()
        if last in seen or _is_english(last) or first.lower() in _JOBS:
            continue
        if len(re.findall(rf"(?<![\w-]){last}(?![\w-])", body)) >= 2:
            seen.add(last)
            people.append((first, last))
    return people


def _occurrences(story: Story, word: str) -> list[tuple[Segment, int]]:
    found = []
    for segment in _body(story):
        for match in re.finditer(rf"(?<![\w-]){re.escape(word)}(?![\w-])", segment.text):
            found.append((segment, match.start()))
    return found


def _replace(segment: Segment, start: int, end: int, new: str) -> tuple[int, int]:
    segment.text = segment.text[:start] + new + segment.text[end:]
    return start, start + len(new)


def _words_of(story: Story) -> set[str]:
    return {w for s in story.segments for w in re.findall(r"[A-Za-z]+", s.text)}


def place_respelt_name(key: str, story: Story, number: int) -> Placed | None:
    story = copy.deepcopy(story)
    words = _words_of(story)
    for offset in range(len(NAME_CHANGES)):
        change = NAME_CHANGES[(number + offset) % len(NAME_CHANGES)]
        for _first, last in _surnames(story):
            later = _occurrences(story, last)[1:]
            variant = respell(last, change)
            if not later or not variant or variant in words:
                continue
            segment, start = later[len(later) // 2]
            s, e = _replace(segment, start, start + len(last), variant)
            return Placed(
                key,
                "respelt_name",
                change,
                "names",
                segment.field,
                s,
                e,
                story,
                note=f"{last}->{variant}",
            )
    return None


def _slip(word: str, number: int) -> str:
    """Return a keyboard slip of a lower-case word that is not itself a word."""
    lower = word.lower()
    changes = ("letter_dropped", "letter_doubled", "letters_swapped", "vowel_changed")
    for offset in range(len(changes)):
        change = changes[(number + offset) % len(changes)]
        if change == "letter_dropped":
            i = len(lower) // 2
            wrong = lower[:i] + lower[i + 1 :]
        elif change == "letters_swapped":
            i = len(lower) // 2 - 1
            wrong = lower[:i] + lower[i + 1] + lower[i] + lower[i + 2 :]
        else:
            wrong = respell(
                lower, "letter_doubled" if change == "letter_doubled" else "vowel_changed"
            )
        if wrong and wrong != lower and wrong not in english():
            return wrong.capitalize()
    return ""


def place_name_in_title(key: str, story: Story, number: int) -> Placed | None:
    """Misspell a common English word inside a run of capitals ('Supreme Court')."""
    story = copy.deepcopy(story)
    words = english()
    lower_words = {w for s in _body(story) for w in re.findall(r"\b[a-z]+\b", s.text)}
    for segment in _body(story):
        for run in re.finditer(r"(?<=[a-z,] )[A-Z][a-z]+(?: [A-Z][a-z]+)+", segment.text):
            names = run.group().split()
            # Only names of places, institutions and titles: every word English, and no
            # person after a job title ('President Trump').
            if not all(_is_english(w) for w in names) or any(
                a.lower() in _JOBS and b.lower() not in _JOBS
                for a, b in zip(names, names[1:], strict=False)
            ):
                continue
            for match in re.finditer(r"[A-Z][a-z]{3,}", run.group()):
                word = match.group()
                # A common word, or one the story also writes in lower case: a word of
                # an institution's name ('Court'), not a first name ('John', 'Paul').
                if words.get(word.lower(), 0) < 10000 and word.lower() not in lower_words:
                    continue
                wrong = _slip(word, number)
                if not wrong:
                    continue
                start = run.start() + match.start()
                s, e = _replace(segment, start, start + len(word), wrong)
                return Placed(
                    key,
                    "name_in_title",
                    "slip",
                    "spelling",
                    segment.field,
                    s,
                    e,
                    story,
                    note=f"{word}->{wrong}",
                )
    return None


def _title_and_person(story: Story) -> tuple[str, str] | None:
    """Return a title of two or three words written before a full name in the body."""
    for segment in _body(story):
        for match in _TITLE_BEFORE_NAME.finditer(segment.text):
            title = match.group(1).split()
            while title and title[0].lower() in (
                "the",
                "a",
                "an",
                "former",
                "then",
                "and",
                "but",
                "in",
                "on",
            ):
                title = title[1:]
            if (
                len(title) >= 2
                and title[-1].lower() in _JOBS
                and not _is_english(match.group(2).split()[1])
            ):
                return " ".join(title), match.group(2)
    return None


def reorder(title: str) -> str:
    """Return the same title in another word order: the job first ('Director Deputy')."""
    words = title.split()
    return " ".join([words[-1], *words[:-1]])


def place_title_caption(key: str, story: Story, number: int) -> Placed | None:
    found = _title_and_person(story)
    if not found:
        return None
    story = copy.deepcopy(story)
    title, person = found
    wrong = reorder(title)
    caption = f"{wrong} {person} at the event"
    story.segments = [s for s in story.segments if s.field != "lead_image_caption"]
    story.segments.append(Segment("lead_image_caption", "Lead image caption", caption, "caption"))
    return Placed(
        key,
        "title_caption",
        "reordered",
        "titles",
        "lead_image_caption",
        0,
        len(wrong),
        story,
        note=f"{title} / {wrong}",
    )


def place_appositive_title(key: str, story: Story, number: int) -> Placed | None:
    found = _title_and_person(story)
    if not found:
        return None
    story = copy.deepcopy(story)
    title, person = found
    wrong = reorder(title)
    segment = _body(story)[-1]
    prefix = segment.text + " The "
    segment.text = f"{prefix}{wrong}, {person}, did not comment further."
    return Placed(
        key,
        "appositive_title",
        "reordered",
        "titles",
        segment.field,
        len(prefix),
        len(prefix) + len(wrong),
        story,
        note=f"{title} / {wrong}",
    )


def place_staff_name(key: str, story: Story, number: int) -> Placed | None:
    """Misspell a staffer's surname in the credit; a staffer's first name is a trap."""
    people = _surnames(story)
    if not people:
        return None
    _first, trap_surname = people[0]
    trap_first = ""
    for change in NAME_CHANGES:
        trap_first = respell(trap_surname, change)
        if trap_first and trap_first not in _words_of(story):
            break
    if not trap_first:
        return None
    staff_surname = _SURNAMES[number % len(_SURNAMES)]
    wrong = ""
    for offset in range(len(NAME_CHANGES)):
        wrong = respell(staff_surname, NAME_CHANGES[(number + offset) % len(NAME_CHANGES)])
        if wrong and not _is_english(wrong):
            break
    story = copy.deepcopy(story)
    credit_first = "Anna"
    credit = f"{credit_first} {wrong}"
    story.segments = [s for s in story.segments if s.field != "lead_image_credit"]
    story.segments.append(Segment("lead_image_credit", "Lead image credit", credit, "credit"))
    staff = [
        f"{trap_first} {_SURNAMES[(number + 3) % len(_SURNAMES)]}",
        f"{credit_first} {staff_surname}",
    ]
    canonical = {part for name in staff for part in name.split()}
    lexicon = Lexicon(canonical=canonical, **people_names(staff))
    start = len(credit_first) + 1
    return Placed(
        key,
        "staff_name",
        "credit",
        "names",
        "lead_image_credit",
        start,
        start + len(wrong),
        story,
        lexicon=lexicon,
        note=f"{staff_surname}->{wrong}; trap {trap_surname} vs staff {trap_first}",
        trap=trap_surname,
    )


PLACERS = {
    "respelt_name": place_respelt_name,
    "name_in_title": place_name_in_title,
    "title_caption": place_title_caption,
    "appositive_title": place_appositive_title,
    "staff_name": place_staff_name,
}


def place_all(stories: list[tuple[str, Story]], seed: int = 21) -> list[Placed]:
    """Return every placement the stories allow: one per class per story where it fits."""
    rng = random.Random(seed)  # a reproducible order of changes, not a secret
    placed = []
    for number, (key, story) in enumerate(stories):
        turn = number + rng.randint(0, len(NAME_CHANGES) - 1)
        for kind in CLASSES:
            result = PLACERS[kind](key, story, turn)
            if result is not None:
                placed.append(result)
    return placed
