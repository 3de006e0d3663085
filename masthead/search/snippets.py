"""Highlighted snippets: a short window of story text around the words that matched."""

import html
import re

from django.utils.safestring import SafeString, mark_safe

from .text import word_terms

WINDOW_WORDS = 32
LEAD_WORDS = 8
_SPLIT = re.compile(r"\s+")


_TAG = re.compile(r"<[^>]*>")
# Parts of a block a reader sees as text; image ids, URLs and the like are left out.
_TEXT_KEYS = ("quote", "attribution", "caption")


def _plain(value: str) -> str:
    return html.unescape(_TAG.sub(" ", value))


def stream_texts(body) -> list[str]:
    """Return the plain text of a StreamField value's blocks.

    Reads the stored JSON rather than building every block, which costs several
    milliseconds a story: a page of results, or the vocabulary, would pay it many times.
    """
    if not body:
        return []
    texts = []
    for block in body.raw_data:
        value = block.get("value")
        if block.get("type") in ("paragraph", "heading") and isinstance(value, str):
            texts.append(_plain(value))
        elif isinstance(value, dict):
            texts += [_plain(value[k]) for k in _TEXT_KEYS if isinstance(value.get(k), str)]
    return [t for t in texts if t.strip()]


def _matches(word: str, wanted: set[str]) -> bool:
    # ``word`` has no whitespace (the text is split on it), so its terms are one cached
    # lookup: a snippet tests every word up to the first match, hundreds of them.
    return not wanted.isdisjoint(word_terms(word))


def snippet_html(standfirst: str, body, wanted: set[str]) -> SafeString:
    """Return an HTML-escaped window of the body (or standfirst) with matches in <mark>.

    The body is preferred because teasers already show the standfirst; the standfirst
    is used when only it matches.
    """
    candidates = [" ".join(stream_texts(body)), standfirst or ""]
    chosen, all_words, start = None, [], 0
    for text in candidates:
        text_words = [w for w in _SPLIT.split(text) if w]
        first = next((i for i, w in enumerate(text_words) if _matches(w, wanted)), None)
        if first is not None:
            chosen, all_words, start = text, text_words, max(0, first - LEAD_WORDS)
            break
    if chosen is None:
        all_words = [w for w in _SPLIT.split(candidates[0] or candidates[1]) if w]
    window = all_words[start : start + WINDOW_WORDS]
    # The standard library's escape (quote=True) replaces the same five characters as
    # Django's, without the lazy-string wrapper that costs more than the escaping.
    parts = [
        f"<mark>{html.escape(w)}</mark>" if _matches(w, wanted) else html.escape(w) for w in window
    ]
    snippet = " ".join(parts)
    if start > 0:
        snippet = "… " + snippet
    if start + WINDOW_WORDS < len(all_words):
        snippet += " …"
    return mark_safe(snippet)  # noqa: S308 - every word is escaped above
