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

from ..findings import Finding
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
}  # fmt: skip
_FILLER = {"the", "a", "an", "of", "for", "and", "affairs", "on", "in", "at", "to", "its", "s"}
_HONORIFICS = {"Mr", "Mrs", "Ms", "Dr", "Prof", "Sir", "Dame"}
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
    for raw in re.findall(r"[A-Za-z][A-Za-z'’-]*", title):
        word = raw.lower().replace("’", "'")
        if word.endswith("'s") or word in _FILLER:
            continue
        if (
            word in HEAD_WORDS
            or (word in english() and raw[:1].islower())
            or (word in english() and english()[word] >= 2000)
        ):
            words.append(word)
    return tuple(words)


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
    if not words or words[-1].lower() not in HEAD_WORDS:
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
    return " ".join(reversed(kept))


def _person_in(run: str) -> tuple[str, int]:
    """Return the person's name ending a run of capitalised words, and where it starts.

    'Foreign Minister Irina Valek' gives 'Irina Valek'; a run that ends in a title word
    or has fewer than two name words gives ''.
    """
    words = run.split(" ")
    name: list[str] = []
    for word in reversed(words):
        if word.lower() in HEAD_WORDS or word.lower() in _MODIFIERS or word in _HONORIFICS:
            break
        name.append(word)
    name = name[:3]
    if len(name) < 2:
        return "", 0
    person = " ".join(reversed(name))
    return person, len(run) - len(person)


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
            after = _AFTER_RE.match(text[name_end : name_end + 100])
            if after:
                phrase = after.group(1).strip()
                if _has_head(phrase) and not re.search(
                    r"\b(said|says|told|who|which|added)\b", phrase
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


def check_titles(story: Story, lexicon: Lexicon) -> list[Finding]:
    """Return findings where a person's title differs from the first one the story gave."""
    findings = []
    first: dict[str, TitleMention] = {}
    for mention in title_mentions(story):
        words = mention.words
        if not words:
            continue
        earlier = first.get(mention.person)
        if earlier is None:
            first[mention.person] = mention
            continue
        before = earlier.words
        if words == before:
            continue
        if set(words) == set(before):
            rule = "titles.word_order"
            message = _(
                "%(person)s is “%(title)s” here but “%(first)s” earlier: same title, different word order."
            )
        elif set(words) <= set(before) or set(words) >= set(before):
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
            )
        )
    return findings
