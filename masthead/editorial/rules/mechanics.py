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
_ALLOWED_REPEATS = {"had", "that", "is", "bye", "ha", "no", "very", "so", "aye", "bla", "knock"}
_PAIRS = {"(": ")", "[": "]", "“": "”", "„": "”"}
_MARKS_RE = re.compile(r"[()\[\]“”„]")
# '1) estimating ... and 2) determining': a list's numbering, not a lone bracket.
_LIST_MARKER_RE = re.compile(r"(?:^|\s)[0-9a-z]\)$")
_QUOTED_RE = re.compile(r"“([^”]+)”|\"([^\"]+)\"")
# Verbs that attribute a quotation, in any tense ('said', 'saying', 'remarked', 'praised').
_ATTRIBUTION_RE = re.compile(
    r"\b(?:sa(?:y|ys|id|ying)|t(?:ell|ells|old|elling)|according to|"
    r"(?:ask|add|explain|insist|argu|warn|not|declar|repli|reply|recall|stat|announc|"
    r"acknowledg|admit|claim|conced|complain|urg|promis|quipp?|remark|prais|describ|"
    r"point|inform|tweet|post|comment|call|respond|continu|conclud|stress|emphasi[sz]|"
    r"suggest|report|testifi|testify|recount|reveal|confirm|den(?:y|ie)|predict|mention|"
    r"writ|wrote|written|quot|cit|express|accus|assert|contend|observ|reason|maintain|"
    r"recommend|thank|welcom|condemn|criticis|criticiz|labell?|term|branded|dubb|read|react)"
    r"(?:e|es|ed|ing|s|d|ied|ies|ted|ting|ped|ping|led|ling)?)\b",
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
    # Not a year or decade ('1980s'), nor a number that names something ('Flight 8501').
    "1000": re.compile(r"(?<![\d.,/])(?!(?:19|20)\d\ds?\b)\d{4,}(?![\d,/])(?!s\b)"),
}
# 'Flight 8501', 'Route 6612': a number that names something has no house style.
_NAMED_NUMBER_RE = re.compile(r"(?<=\w )[A-Z][a-z]+ (?:No\. )?$")
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
            if match.group(1).lower() in _ALLOWED_REPEATS or (
                match.group(1)[:1].isupper() and match.group(2)[:1].isupper()
            ):
                # 'Sirhan Sirhan', 'Boutros Boutros-Ghali': a name, not a slip.
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
                elif not (char == ")" and _LIST_MARKER_RE.search(text[: index + 1])):
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


def _introduced(text: str, start: int, quoted: str) -> bool:
    """Return whether the words before a quotation attribute or frame it.

    'X praised Mendez on Twitter: "..."' is introduced by its colon, and a fragment woven
    into a sentence ('was described by the CBCP as "a strong advocate ..."', starting in
    lower case or with an editor's bracket) belongs to the sentence that frames it.
    """
    before = text[:start].rstrip()
    if before.endswith(":"):
        return True
    if all(word[:1].isupper() or word[:1].isdigit() for word in quoted.split()):
        # 'the "Reproductive Health Care Reform Bill 2019"': a title, not a quotation.
        return True
    opening = quoted.lstrip()[:1]
    return (
        bool(before)
        and not before.endswith((".", "!", "?"))
        and (opening.islower() or opening in "[.…")
    )


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
    previous = ""
    for segment in story.paragraphs:
        introduced, previous = previous.rstrip().endswith(":"), segment.text
        # The attribution is outside the quotation marks: '“I told them,” she said'; a
        # paragraph after one ending in a colon is the quotation it introduced.
        if introduced or _ATTRIBUTION_RE.search(_QUOTED_RE.sub(" ", segment.text)):
            continue
        quotes = [
            m
            for m in _QUOTED_RE.finditer(segment.text)
            if not _introduced(segment.text, m.start(), (m.group(1) or m.group(2) or ""))
        ]
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
        # A quotation keeps the speaker's or document's style.
        quoted = [m.span() for m in _QUOTED_RE.finditer(segment.text)]
        for style, pattern in styles.items():
            for match in pattern.finditer(segment.text):
                if any(start <= match.start() < end for start, end in quoted):
                    continue
                if _NAMED_NUMBER_RE.search(segment.text, 0, match.start()):
                    continue
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
