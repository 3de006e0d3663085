"""Turning story fields into plain text and words with their exact offsets."""

import functools
import html
import re
from html.parser import HTMLParser
from typing import NamedTuple

# Latin letters only: words in other scripts are left alone, not misread as misspellings.
_LETTER = "A-Za-zÀ-ÖØ-öø-ÿĀ-ſ"
# ʻ (the ʻokina) joins Polynesian names: 'Nukuʻalofa' is one word.
WORD_RE = re.compile(rf"[{_LETTER}]+(?:['’ʻ][{_LETTER}]+)*(?:-[{_LETTER}]+(?:['’ʻ][{_LETTER}]+)*)*")
URL_RE = re.compile(r"(?:https?://|www\.)\S+|\S+@\S+\.\w+")
_BLOCK_TAGS = {"p", "div", "br", "li", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "tr"}
_SKIP_TAGS = {"script", "style", "template", "noscript"}
_OPENERS = "\"“‘'([«"


class Token(NamedTuple):
    text: str
    start: int
    end: int
    sentence_start: bool

    @property
    def capitalised(self) -> bool:
        return self.text[:1].isupper()


class _TextExtractor(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skipping = 0

    def handle_starttag(self, tag, attrs):
        if tag in _SKIP_TAGS:
            self.skipping += 1
        elif tag in _BLOCK_TAGS:
            self.parts.append("\n\n")

    def handle_endtag(self, tag):
        if tag in _SKIP_TAGS:
            self.skipping = max(0, self.skipping - 1)
        elif tag in _BLOCK_TAGS:
            self.parts.append("\n\n")

    def handle_data(self, data):
        if not self.skipping:
            self.parts.append(data)


def looks_like_html(value: str) -> bool:
    return bool(
        re.search(r"<(p|div|br|span|a|b|i|em|strong|h[1-6]|li|ul|ol|html|body)\b", value, re.I)
    )


def html_to_text(value: str) -> str:
    """Return the readable text of an HTML fragment, one blank line between blocks."""
    parser = _TextExtractor()
    try:
        parser.feed(value or "")
        parser.close()
    except Exception:
        return html.unescape(re.sub(r"<[^>]*>", " ", value or ""))
    text = "".join(parser.parts)
    text = re.sub(r"[ \t\r\f\v\xa0]+", " ", text)
    return re.sub(r"\s*\n\s*\n\s*", "\n\n", text).strip()


def split_paragraphs(text: str) -> list[str]:
    return [p.strip() for p in re.split(r"\n\s*\n", text or "") if p.strip()]


def _is_sentence_start(text: str, start: int) -> bool:
    i = start - 1
    while i >= 0 and (text[i].isspace() or text[i] in _OPENERS):
        i -= 1
    if i >= 1 and text[i] == "." and text[i - 1].isupper() and (i < 2 or not text[i - 2].isalpha()):
        # An initial ('Jessie K. Liu', 'P. damicornis') does not end a sentence.
        return False
    return i < 0 or text[i] in ".!?:;…—\n"


@functools.lru_cache(maxsize=2048)
def tokens(text: str) -> tuple[Token, ...]:
    """Return the words of ``text`` with offsets, skipping links and e-mail addresses.

    Cached: several rules read the same paragraphs.
    """
    masked = (
        URL_RE.sub(lambda m: " " * len(m.group()), text)
        if ("@" in text or "/" in text or "www" in text)
        else text
    )
    return tuple(
        Token(m.group(), m.start(), m.end(), _is_sentence_start(text, m.start()))
        for m in WORD_RE.finditer(masked)
    )


def context(text: str, start: int, end: int, width: int = 40) -> str:
    """Return the words around ``text[start:end]``, for showing a finding in place."""
    left = max(0, start - width)
    right = min(len(text), end + width)
    prefix = "…" if left > 0 else ""
    suffix = "…" if right < len(text) else ""
    return f"{prefix}{text[left:right]}{suffix}".replace("\n", " ")
