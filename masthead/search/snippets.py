"""Highlighted snippets: a short window of story text around the words that matched."""

import re

from django.utils.html import escape, strip_tags
from django.utils.safestring import SafeString, mark_safe

from .text import terms

WINDOW_WORDS = 32
LEAD_WORDS = 8
_SPLIT = re.compile(r"\s+")


def stream_texts(body) -> list[str]:
    """Return the plain text of a StreamField value's blocks."""
    if not body:
        return []
    return [strip_tags(str(t)) for t in body.stream_block.get_searchable_content(body) if t]


def _matches(word: str, wanted: set[str]) -> bool:
    return any(term in wanted for term in terms(word))


def snippet_html(standfirst: str, body, wanted: set[str]) -> SafeString:
    """Return an HTML-escaped window of the body (or standfirst) with matches in <mark>.

    The body is preferred because teasers already show the standfirst; the standfirst
    is used when only it matches.
    """
    candidates = [" ".join(stream_texts(body)), standfirst or ""]
    chosen, start = None, 0
    for text in candidates:
        found = [i for i, w in enumerate(_SPLIT.split(text)) if w and _matches(w, wanted)]
        if found:
            chosen, start = text, max(0, found[0] - LEAD_WORDS)
            break
    if chosen is None:
        chosen = candidates[0] or candidates[1]
    all_words = [w for w in _SPLIT.split(chosen) if w]
    window = all_words[start : start + WINDOW_WORDS]
    parts = [f"<mark>{escape(w)}</mark>" if _matches(w, wanted) else str(escape(w)) for w in window]
    html = " ".join(parts)
    if start > 0:
        html = "… " + html
    if start + WINDOW_WORDS < len(all_words):
        html += " …"
    return mark_safe(html)  # noqa: S308 - every word is escaped above
