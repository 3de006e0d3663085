"""Title and role consistency: one person, two job titles or one title in two orders.

A title is found in front of a full name ('Foreign Minister Irina Valek'), after it
between commas ('Irina Valek, Minister of Foreign Affairs, said') or in a quote block's
role field. Titles compare as sets of their English words, so place names and filler
('the', 'of', 'Affairs') do not count: the same set in another order is a style
inconsistency, a different set is a second title. A title that only adds or drops words
('the minister') is a short form, not a contradiction.
"""

import re
from dataclasses import dataclass

from django.utils.translation import gettext as _

from ..findings import Finding, Place
from ..lexicon import Lexicon, english
from ..story import Story
from ..text import context

HEAD_WORDS = {
    "minister", "president", "governor", "mayor", "chair", "chairman", "chairwoman",
    "secretary", "secretary-general", "leader", "director", "spokesperson", "spokesman",
    "spokeswoman", "chief", "head", "ambassador", "commissioner", "editor", "correspondent",
    "senator", "judge", "professor", "executive", "officer", "manager", "councillor",
    "premier", "chancellor", "general", "envoy", "adviser", "advisor", "treasurer", "deputy",
    "founder", "analyst", "economist", "negotiator", "prosecutor", "speaker", "governor-general",
    "inspector", "detective", "representative", "congressman", "congresswoman", "attorney",
    "justice", "sheriff", "constable", "sergeant", "captain", "colonel", "lieutenant",
    "admiral", "marshal", "commander", "bishop", "archbishop", "cardinal", "coach",
    "superintendent", "lawmaker", "councilman", "councilwoman", "dean", "rector", "provost",
    "administrator", "coordinator", "ombudsman", "auditor",
}  # fmt: skip
_FILLER = {"the", "a", "an", "of", "for", "and", "affairs", "on", "in", "at", "to", "its", "s"}
_HONORIFICS = {"Mr", "Mrs", "Ms", "Dr", "Prof", "Sir", "Dame"}
# Words of a country's name inside a title ('United States Senator', 'US Senator').
_PLACE_WORDS = {"us", "u", "uk", "eu"}
# A title with one of these is of another time: 'former Senator' and 'Senator' are not
# two titles for one job, and 'Ex-Prime Minister' was a job before the current one.
_TEMPORAL = {"former", "ex", "then", "current", "acting", "outgoing", "incoming", "interim",
             "late", "future", "now", "previous", "past", "new", "onetime", "sitting"}  # fmt: skip
_NAME_PART = r"[A-Z][a-zà-ÿ]+(?:-[A-Z][a-zà-ÿ]+)?"
_RUN_RE = re.compile(rf"\b{_NAME_PART}(?: {_NAME_PART})+\b")
_TITLE_WORD = r"(?:[A-Z][\w'’-]*|of|the|for|and|[a-z][\w-]*)"
_BEFORE_RE = re.compile(rf"((?:{_TITLE_WORD} ){{1,6}})$")
_AFTER_RE = re.compile(r"^, ((?:the |a |an )?[^,.;:“”\"()]{3,80}?)(?=[,.;]|$)")


@dataclass
class TitleMention:
    person: str
    title: str
    field: str
    start: int
    end: int

    @property
    def words(self) -> tuple[str, ...]:
        return title_words(self.title)


def title_words(title: str) -> tuple[str, ...]:
    """Return the meaningful words of a title in order, lower-cased."""
    words = []
    for raw in re.findall(r"[A-Za-z][A-Za-z'’]*", title):
        word = raw.lower().replace("’", "'")
        if word.endswith("'s") or word in _FILLER or word in _PLACE_WORDS:
            continue
        if word in HEAD_WORDS or english().get(word, 0) > 50:
            words.append(word)
    return tuple(words)


def _lower_words(title: str) -> list[str]:
    return [w.lower() for w in re.findall(r"[A-Za-z]+", title)]


def _has_head(title: str) -> bool:
    return bool(set(title_words(title)) & HEAD_WORDS)


_MODIFIERS = {
    "foreign", "finance", "energy", "interior", "defence", "defense", "deputy", "prime",
    "health", "trade", "justice", "economy", "education", "transport", "environment",
    "labour", "former", "acting", "union", "bank", "central", "opposition", "party", "state",
    "chief", "executive", "harbour", "city", "regional", "senior", "junior", "water", "grid",
}  # fmt: skip
_JOINERS = {"of", "the", "and", "for"}


def _title_before(phrase: str) -> str:
    """Return the title that ends right before a name, or '' ('Foreign Minister')."""
    words = phrase.split()
    # 'Foreign Minister', and the same title reordered in a caption ('Minister Prime'):
    # a run of capitals holding a job, or a job word last.
    if not words or not (words[-1].lower() in HEAD_WORDS or words[-1][:1].isupper()):
        return ""
    kept: list[str] = []
    for word in reversed(words):
        lower = word.lower()
        if (
            word[:1].isupper()
            or lower in HEAD_WORDS
            or lower in _MODIFIERS
            or lower in _JOINERS
            and kept
            and kept[-1][:1].isupper()
        ):
            kept.append(word)
        else:
            break
    while kept and kept[-1].lower() in _JOINERS:
        kept.pop()
    if not any(word.lower() in HEAD_WORDS for word in kept):
        return ""
    return " ".join(reversed(kept))


def _person_in(run: str) -> tuple[str, int]:
    """Return the person's name ending a run of capitalised words, and where it starts.

    'Foreign Minister Irina Valek' gives 'Irina Valek': the last two words, a first name
    and a surname. A run that ends in a title word or honorific gives ''.
    """
    words = run.split(" ")
    name = words[-2:]
    if len(name) < 2 or any(
        w.lower() in HEAD_WORDS or w.lower() in _MODIFIERS or w in _HONORIFICS for w in name
    ):
        return "", 0
    person = " ".join(name)
    return person, len(run) - len(person)


_APPOSITIVE_RE = re.compile(
    r"(?:^|[.;:—(?!\"”]\s*|,\s|\b(?:said|says|told|by|with|and)\s)((?:[Tt]he |[Aa]n? |[Ii]ts |[Tt]heir )?[^,.;:“”\"()]{3,80}), $"
)
_TITLE_STARTS = {"the", "a", "an", "its", "their", "his", "her"} | _TEMPORAL
_TITLE_LIKE_LOWER = _FILLER | _JOINERS | _TEMPORAL | {"deputy", "vice", "assistant", "senior"}


def _appositive_before(text: str, name_start: int, name_end: int) -> tuple[int, str] | None:
    """Return (start, title) for a title written before a name between commas.

    'the Deputy Director for Planning, Jane Doe, said': the title ends with a comma right
    before the name, and the name is followed by a comma or the end of the sentence.
    """
    if text[name_start - 2 : name_start] != ", " or (
        name_end < len(text) and text[name_end] not in ",.;"
    ):
        return None
    match = _APPOSITIVE_RE.search(text, max(0, name_start - 100), name_start)
    if not match:
        return None
    phrase = match.group(1)
    core = re.sub(r"^(?:[Tt]he|[Aa]n?|[Ii]ts|[Tt]heir) ", "", phrase)
    words = core.split()
    if not _has_head(core) or not words or not words[0][:1].isupper():
        return None
    if not all(
        w[:1].isupper() or w.lower() in _TITLE_LIKE_LOWER or w.lower() in HEAD_WORDS for w in words
    ):
        return None
    return match.start(1) + (len(phrase) - len(core)), core


def title_mentions(story: Story) -> list[TitleMention]:
    """Return each (person, title) pairing written in the story."""
    mentions = []
    for segment in story.segments:
        text = segment.text
        for run in _RUN_RE.finditer(text):
            person, name_start = _person_in(run.group())
            if not person:
                continue
            name_start += run.start()
            name_end = run.end()
            before = _BEFORE_RE.search(text[max(0, name_start - 80) : name_start])
            if before:
                phrase = _title_before(before.group(1).strip())
                if phrase:
                    start = name_start - len(before.group(1)) + before.group(1).find(phrase)
                    mentions.append(
                        TitleMention(person, phrase, segment.field, start, start + len(phrase))
                    )
            appositive = _appositive_before(text, name_start, name_end)
            if appositive:
                start, phrase = appositive
                mentions.append(
                    TitleMention(person, phrase, segment.field, start, start + len(phrase))
                )
            after = _AFTER_RE.match(text[name_end : name_end + 100])
            if after:
                phrase = after.group(1).strip()
                first_word = phrase.split()[0]
                if (
                    _has_head(phrase)
                    and not re.search(r"\b(said|says|told|who|which|added)\b", phrase)
                    # 'Jane Doe, the minister,' or 'Jane Doe, Minister of ...', never
                    # 'Donald Trump, in a statement delivered via the press secretary,'.
                    and (
                        first_word[:1].isupper()
                        or first_word.lower() in _TITLE_STARTS | HEAD_WORDS | _MODIFIERS
                    )
                ):
                    start = name_end + after.start(1)
                    mentions.append(
                        TitleMention(person, phrase, segment.field, start, start + len(phrase))
                    )
    for quote in story.quotes:
        if quote.attribution and quote.role and _has_head(quote.role):
            field = quote.field.replace(".quote", ".role")
            mentions.append(
                TitleMention(quote.attribution.strip(), quote.role, field, 0, len(quote.role))
            )
    return mentions


def _reordered(words: tuple[str, ...], before: tuple[str, ...]) -> bool:
    """Return whether two titles are one title, or a short form of it, in another order.

    'Minister of Foreign Affairs' and 'Foreign Minister'; 'Deputy Director for Planning'
    and 'Director Deputy'.
    """
    if words == before:
        return False
    shared = set(words) & set(before)
    if set(words) == set(before):
        return True
    return (
        len(shared) >= 2
        and shared in (set(words), set(before))
        and [w for w in words if w in shared] != [w for w in before if w in shared]
    )


def check_titles(story: Story, lexicon: Lexicon) -> list[Finding]:
    """Return findings where a person's title is given two ways in the story.

    Every field counts (a caption's title is compared with the body's). A title in
    another word order is compared with every earlier title of the person; a different
    title with the first one only.
    """
    findings = []
    earlier_mentions: dict[str, list[TitleMention]] = {}
    for mention in title_mentions(story):
        words = mention.words
        if not words:
            continue
        earlier_ones = earlier_mentions.setdefault(mention.person, [])
        if not earlier_ones:
            earlier_ones.append(mention)
            continue
        if any(words == e.words for e in earlier_ones):
            earlier_ones.append(mention)
            continue  # as the story already wrote it
        reordered = next((e for e in earlier_ones if _reordered(words, e.words)), None)
        earlier = reordered or earlier_ones[0]
        before = earlier.words
        earlier_ones.append(mention)
        if reordered is not None:
            rule = "titles.word_order"
            message = _(
                "%(person)s is “%(title)s” here but “%(first)s” earlier: same title, different word order."
            )
        elif (
            words == before
            or set(words) <= set(before)
            or set(words) >= set(before)
            or _TEMPORAL & set(_lower_words(mention.title) + _lower_words(earlier.title))
        ):
            continue
        else:
            rule = "titles.different"
            message = _("%(person)s is “%(title)s” here but “%(first)s” earlier.")
        segment = story.segment(mention.field)
        findings.append(
            Finding(
                rule=rule,
                message=message
                % {"person": mention.person, "title": mention.title, "first": earlier.title},
                field=mention.field,
                text=mention.title,
                start=mention.start,
                end=mention.end,
                suggestion=earlier.title,
                context=context(segment.text, mention.start, mention.end)
                if segment
                else mention.title,
                others=(Place(earlier.field, earlier.start, earlier.end, earlier.title),),
            )
        )
    return findings
