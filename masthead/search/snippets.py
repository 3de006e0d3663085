"""Highlighted snippets: a short window of story text around the words that matched."""

import html
import re

from django.utils.safestring import SafeString, mark_safe

from masthead.core.blocks import stream_texts

from .text import word_terms

WINDOW_WORDS = 32
LEAD_WORDS = 8
_SPLIT = re.compile(r"\s+")


def _matches(word: str, wanted: set[str]) -> bool:
    # ``word`` has no whitespace (the text is split on it), so its terms are one cached
    # lookup: a snippet tests every word up to the first match, hundreds of them.
    return not wanted.isdisjoint(word_terms(word))


def _window(words: list[str], start: int, wanted: set[str]) -> SafeString:
    window = words[start : start + WINDOW_WORDS]
    # The standard library's escape (quote=True) replaces the same five characters as
    # Django's, without the lazy-string wrapper that costs more than the escaping.
    parts = [
        f"<mark>{html.escape(w)}</mark>" if _matches(w, wanted) else html.escape(w) for w in window
    ]
    snippet = " ".join(parts)
    if start > 0:
        snippet = "… " + snippet
    if start + WINDOW_WORDS < len(words):
        snippet += " …"
    return mark_safe(snippet)  # noqa: S308 - every word is escaped above


def _first_match(text: str, wanted: set[str]) -> tuple[list[str], int | None]:
    words = [w for w in _SPLIT.split(text or "") if w]
    return words, next((i for i, w in enumerate(words) if _matches(w, wanted)), None)


def result_texts(standfirst: str, body, wanted: set[str]) -> tuple[SafeString, SafeString]:
    """Return a search result's standfirst and snippet, neither repeating the other.

    When the body matches, the standfirst is shown as written and the snippet is a
    window of the body. When only the standfirst matches, the standfirst itself carries
    the highlighting and there is no snippet: printing it twice (plain, then
    highlighted) told the reader nothing new.
    """
    body_words, first = _first_match(" ".join(stream_texts(body)), wanted)
    plain = mark_safe(html.escape(standfirst or ""))  # noqa: S308 - escaped
    if first is not None:
        return plain, _window(body_words, max(0, first - LEAD_WORDS), wanted)
    words, first = _first_match(standfirst, wanted)
    if first is not None:
        highlighted = " ".join(
            f"<mark>{html.escape(w)}</mark>" if _matches(w, wanted) else html.escape(w)
            for w in words
        )
        return mark_safe(highlighted), mark_safe("")  # noqa: S308 - every word is escaped
    return plain, _window(body_words, 0, wanted) if body_words else mark_safe("")
