"""Mechanics: repeated words and paragraphs, unbalanced marks, unattributed quotes,
and dates or numbers written in two styles within one story."""

import re
from collections import defaultdict

from django.utils.translation import gettext as _

from ..findings import Finding
from ..lexicon import Lexicon
from ..story import Segment, Story
from ..text import context

_REPEATED_RE = re.compile(r"\b([A-Za-z]+)\s+(\1)\b", re.IGNORECASE)
# Doubled words that are grammatical: "had had", "that that".
_ALLOWED_REPEATS = {"had", "that", "is", "bye", "ha", "no", "very", "so"}
_PAIRS = {"(": ")", "[": "]", "“": "”"}
_MARKS_RE = re.compile(r"[()\[\]“”]")
_QUOTED_RE = re.compile(r"“([^”]+)”|\"([^\"]+)\"")
_ATTRIBUTION_RE = re.compile(
    r"\b(said|says|say|told|tells|asked|asks|added|adds|wrote|writes|explained|insisted|"
    r"argued|warned|noted|according to|declared|replied|recalled|stated|announced|"
    r"acknowledged|admitted|claimed|conceded|complained|urged|promised|quipped)\b",
    re.IGNORECASE,
)
_NAME_AFTER_RE = re.compile(r"^\s+(?:[a-z]+\s+)?[A-Z][a-z]+")
_MONTHS = "January|February|March|April|May|June|July|August|September|October|November|December"
_DATE_STYLES = {
    "day month": re.compile(rf"\b\d{{1,2}} (?:{_MONTHS})\b"),
    "month day": re.compile(
        rf"\b(?:{_MONTHS}) \d{{1,2}}(?:st|nd|rd|th)?\b(?!,? ?\d{{3}})|\b(?:{_MONTHS}) \d{{1,2}}, \d{{4}}\b"
    ),
    "numeric": re.compile(r"\b\d{1,2}/\d{1,2}/\d{2,4}\b"),
}
# The first style listed is the house style, which wins a tie.
_PERCENT_STYLES = {
    "per cent": re.compile(r"\b\d+(?:\.\d+)? per cent\b"),
    "%": re.compile(r"\b\d+(?:\.\d+)?%"),
    "percent": re.compile(r"\b\d+(?:\.\d+)? percent\b"),
}
_THOUSANDS_STYLES = {
    "1,000": re.compile(r"(?<![\d.,])\d{1,3}(?:,\d{3})+(?![\d,]*\d)"),
    "1000": re.compile(r"(?<![\d.,/])(?!(?:19|20)\d\d\b)\d{4,}(?![\d,/])"),
}
_MIN_QUOTE_WORDS = 6
_MIN_REPEATED_PARAGRAPH = 40


def _find(rule, segment: Segment, start, end, message, suggestion=""):
    return Finding(
        rule=rule,
        message=message,
        field=segment.field,
        text=segment.text[start:end],
        start=start,
        end=end,
        suggestion=suggestion,
        context=context(segment.text, start, end),
    )


def repeated_words(story: Story) -> list[Finding]:
    findings = []
    for segment in story.segments:
        for match in _REPEATED_RE.finditer(segment.text):
            if match.group(1).lower() in _ALLOWED_REPEATS:
                continue
            findings.append(
                _find(
                    "mechanics.repeated_word",
                    segment,
                    match.start(),
                    match.end(),
                    _("“%(word)s” is repeated.") % {"word": match.group(1)},
                    match.group(1),
                )
            )
    return findings


def repeated_paragraphs(story: Story) -> list[Finding]:
    seen = {}
    findings = []
    for segment in story.segments:
        if segment.kind not in ("paragraph", "quote"):
            continue
        key = " ".join(segment.text.lower().split())
        if len(key) < _MIN_REPEATED_PARAGRAPH:
            continue
        if key in seen:
            findings.append(
                _find(
                    "mechanics.repeated_paragraph",
                    segment,
                    0,
                    len(segment.text),
                    _("This paragraph repeats %(label)s.") % {"label": seen[key].lower()},
                    "",
                )
            )
        else:
            seen[key] = segment.label
    return findings


def unbalanced_marks(story: Story) -> list[Finding]:
    findings = []
    for segment in story.segments:
        text = segment.text
        stack: list[tuple[str, int]] = []
        unmatched: list[int] = []
        for mark in _MARKS_RE.finditer(text):
            index, char = mark.start(), mark.group()
            if char in _PAIRS:
                if char == "“" and stack and stack[-1][0] == "“":
                    unmatched.append(stack.pop()[1])
                stack.append((char, index))
            elif char in _PAIRS.values():
                if stack and _PAIRS[stack[-1][0]] == char:
                    stack.pop()
                else:
                    unmatched.append(index)
        unmatched.extend(position for _, position in stack)
        straight = [i for i, c in enumerate(text) if c == '"']
        if len(straight) % 2:
            unmatched.append(straight[-1])
        for position in sorted(set(unmatched)):
            char = text[position]
            kind = "quotes" if char in '“”"' else "brackets"
            message = (
                _("This quotation mark has no partner.")
                if kind == "quotes"
                else _("This bracket has no partner.")
            )
            findings.append(
                _find(f"mechanics.unbalanced_{kind}", segment, position, position + 1, message)
            )
    return findings


def unattributed_quotes(story: Story) -> list[Finding]:
    findings = []
    for quote in story.quotes:
        if quote.text.strip() and not quote.attribution.strip():
            segment = story.segment(quote.field)
            findings.append(
                _find(
                    "mechanics.unattributed_quote",
                    segment,
                    0,
                    len(segment.text),
                    _("This quote block does not say who said it."),
                )
            )
    for segment in story.paragraphs:
        # The attribution is outside the quotation marks: '“I told them,” she said'.
        if _ATTRIBUTION_RE.search(_QUOTED_RE.sub(" ", segment.text)):
            continue
        quotes = list(_QUOTED_RE.finditer(segment.text))
        # A name right after a quote ending in a comma attributes it ('...,' Valek tld
        # reporters), and the quotes that follow in the paragraph continue it.
        if any(
            m.group().rstrip('\u201d"').endswith(",")
            and _NAME_AFTER_RE.match(segment.text[m.end() : m.end() + 40])
            for m in quotes
        ):
            continue
        for match in quotes:
            words = (match.group(1) or match.group(2) or "").split()
            if len(words) >= _MIN_QUOTE_WORDS:
                findings.append(
                    _find(
                        "mechanics.unattributed_quote",
                        segment,
                        match.start(),
                        match.end(),
                        _("This quotation does not say who said it."),
                    )
                )
    return findings


def _mixed_styles(story: Story, styles: dict, rule: str, what: str) -> list[Finding]:
    """Report uses of the less common style when a story writes one thing two ways."""
    uses = defaultdict(list)
    for segment in story.segments:
        for style, pattern in styles.items():
            for match in pattern.finditer(segment.text):
                uses[style].append((segment, match))
    if len(uses) < 2:
        return []
    order = list(styles)
    main = max(uses, key=lambda s: (len(uses[s]), -order.index(s)))
    findings = []
    for style, matches in uses.items():
        if style == main:
            continue
        for segment, match in matches:
            findings.append(
                _find(
                    rule,
                    segment,
                    match.start(),
                    match.end(),
                    _(
                        "This %(what)s is written “%(style)s” style; the story mostly uses “%(main)s”."
                    )
                    % {"what": what, "style": style, "main": main},
                )
            )
    return findings


def check_mechanics(story: Story, lexicon: Lexicon) -> list[Finding]:
    """Return findings for typing and style slips in the story's prose."""
    return [
        *repeated_words(story),
        *repeated_paragraphs(story),
        *unbalanced_marks(story),
        *unattributed_quotes(story),
        *_mixed_styles(story, _DATE_STYLES, "mechanics.date_style", _("date")),
        *_mixed_styles(story, _PERCENT_STYLES, "mechanics.number_style", _("percentage")),
        *_mixed_styles(story, _THOUSANDS_STYLES, "mechanics.number_style", _("number")),
    ]
