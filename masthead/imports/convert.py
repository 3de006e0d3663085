"""Turn WordPress HTML (classic or block editor) into story body blocks.

Paragraphs and lists become rich text cleaned by Wagtail's own whitelist, so nothing
the admin editor would refuse (scripts, styles, event handlers, ``javascript:`` links)
reaches a page. Headings, quotes, images, galleries and embeds become their own
blocks. Anything that cannot be kept as it was is named in the conversion's notes.
"""

import html as html_lib
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from typing import Any
from urllib.parse import urlparse

from bs4 import BeautifulSoup, Comment, NavigableString, PageElement, Tag
from bs4.exceptions import ParserRejectedMarkup
from django.utils.html import escape
from django.utils.text import Truncator

HEADING_MAX = 160
CAPTION_MAX = 400
CREDIT_MAX = 200
ATTRIBUTION_MAX = 120

# Shortcodes WordPress core and common plugins register; with no attributes and no
# closing tag, a bracketed word such as "[sic]" is ordinary text and stays.
KNOWN_SHORTCODES = {
    "audio",
    "video",
    "playlist",
    "wp_caption",
    "caption",
    "gallery",
    "embed",
    "contact-form-7",
    "youtube",
    "vimeo",
    "tweet",
    "soundcloud",
    "googlemaps",
    "instagram",
    "pullquote",
    "button",
    "column",
    "row",
}
# Hosts WordPress auto-embeds when their URL stands alone on a line.
EMBED_HOSTS = (
    "youtube.com",
    "youtu.be",
    "vimeo.com",
    "twitter.com",
    "x.com",
    "soundcloud.com",
    "flickr.com",
    "instagram.com",
    "tiktok.com",
    "spotify.com",
    "dailymotion.com",
    "mixcloud.com",
    "reddit.com",
    "scribd.com",
    "slideshare.net",
    "speakerdeck.com",
    "ted.com",
    "tumblr.com",
    "wordpress.tv",
)
DROPPED_TAGS = ("script", "style", "noscript", "template", "object", "applet", "form", "svg")
HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")
BLOCK_TAGS = {
    "p",
    *HEADINGS,
    "blockquote",
    "ul",
    "ol",
    "figure",
    "img",
    "iframe",
    "video",
    "audio",
    "embed",
    "table",
    "pre",
    "hr",
    "div",
    "section",
    "article",
    "aside",
    "header",
    "footer",
    "main",
    "dl",
    "masthead-gallery",
    "masthead-embed",
}
URL_LINE = re.compile(r"^\s*(https?://[^\s<>\"]+)\s*$")
SHORTCODE = re.compile(r"\[(/?)([A-Za-z][\w-]*)((?:\s[^\]]*)?)\]")
CAPTION = re.compile(r"\[(?:wp_)?caption([^\]]*)\](.*?)\[/(?:wp_)?caption\]", re.DOTALL)
EMBED = re.compile(r"\[embed[^\]]*\](.*?)\[/embed\]", re.DOTALL)
GALLERY = re.compile(r"\[gallery([^\]]*)\]")
ATTRIBUTE = re.compile(r"([\w-]+)\s*=\s*(?:\"([^\"]*)\"|'([^']*)'|(\S+))")
SIZE_SUFFIX = re.compile(r"-\d+x\d+(\.\w+)$")
WHITESPACE = re.compile(r"\s+")
TAG = re.compile(r"<(?:[a-zA-Z/!?][^>]*)?>")

# find_image(url, attachment_id) returns (image or None, note or None)
ImageFinder = Callable[[str, str], tuple[Any, str | None]]


@dataclass
class Conversion:
    blocks: list[dict] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def note(self, text: str) -> None:
        if text not in self.notes:
            self.notes.append(text)


@cache
def _whitelister():
    from wagtail.admin.rich_text.converters.editor_html import EditorHTMLConverter

    from masthead.articles.blocks import RICH_TEXT_FEATURES

    return EditorHTMLConverter(features=RICH_TEXT_FEATURES).whitelister


def clean_rich_text(fragment: str) -> str:
    """Return ``fragment`` cleaned to the story body's rich text features."""
    return _whitelister().clean(fragment).strip()


def clean_nodes(doc: BeautifulSoup, nodes: list[PageElement]) -> str:
    """Return ``nodes``, already parsed, cleaned as ``clean_rich_text`` cleans their HTML.

    Wagtail's whitelist parses its input, cleans the tree and writes it out again. The
    converter already holds each paragraph as parsed nodes: they are cleaned by the same
    whitelist (``clean_node``) and written out the same way (``escape`` formatter),
    without writing them out as HTML and parsing them a second time.
    """
    whitelister = _whitelister()
    doc.clear()
    doc.extend(nodes)  # moves them out of the post's tree
    for node in list(doc.contents):
        whitelister.clean_node(doc, node)
    html = doc.decode(formatter=escape)
    doc.clear()
    return html.strip()


def plain_text(fragment: str) -> str:
    """Return the text of an HTML fragment with entities decoded and spaces collapsed."""
    if "<" in fragment:
        fragment = TAG.sub(" ", fragment)
    if "&" in fragment:
        fragment = html_lib.unescape(fragment)
    return WHITESPACE.sub(" ", fragment).strip()


def truncate(text: str, limit: int) -> str:
    """Return ``text`` cut at a word boundary to at most ``limit`` characters."""
    return Truncator(text).chars(limit, truncate="…") if len(text) > limit else text


def first_sentence(text: str, limit: int) -> str:
    """Return the first sentence of ``text``, no longer than ``limit`` characters."""
    match = re.search(r"^(.+?[.!?。؟])(\s|$)", text)
    return truncate(match.group(1) if match else text, limit)


def _attributes(raw: str) -> dict[str, str]:
    return {m[0].lower(): m[1] or m[2] or m[3] or "" for m in ATTRIBUTE.findall(raw)}


def embed_url_from_iframe(src: str) -> str:
    """Return the page URL behind a player iframe's address, for oEmbed."""
    if src.startswith("//"):
        src = "https:" + src
    parsed = urlparse(src)
    host = parsed.hostname or ""
    if host.endswith("youtube.com") or host.endswith("youtube-nocookie.com"):
        match = re.match(r"/embed/([\w-]+)", parsed.path)
        if match:
            return f"https://www.youtube.com/watch?v={match.group(1)}"
    if host == "player.vimeo.com":
        match = re.match(r"/video/(\d+)", parsed.path)
        if match:
            return f"https://vimeo.com/{match.group(1)}"
    return src


def _is_embed_url(url: str) -> bool:
    host = (urlparse(url).hostname or "").lower()
    return any(host == h or host.endswith("." + h) for h in EMBED_HOSTS)


class _Converter:
    def __init__(self, find_image: ImageFinder, gallery_ids: list[str]):
        self.find_image = find_image
        self.gallery_ids = gallery_ids
        self.result = Conversion()
        # The nodes of the paragraph being gathered; flush() makes a block of them.
        self.buffer: list[PageElement] = []
        self.soup = BeautifulSoup("", "html.parser")  # replaced by the post's in run()

    # Shortcodes are text, not markup: turn the ones with a meaning into tags first.
    def expand_shortcodes(self, content: str) -> str:
        def caption(match: re.Match) -> str:
            attrs = _attributes(match.group(1))
            inner = match.group(2)
            split = re.search(r"(<a\b[^>]*>\s*<img\b[^>]*>\s*</a>|<img\b[^>]*>)", inner, re.I)
            if not split:
                return inner
            text = inner[split.end() :].strip() or attrs.get("caption", "")
            return f"<figure>{split.group(1)}<figcaption>{text}</figcaption></figure>"

        def embed(match: re.Match) -> str:
            return f'<masthead-embed data-url="{escape(match.group(1).strip())}"></masthead-embed>'

        def gallery(match: re.Match) -> str:
            attrs = _attributes(match.group(1))
            ids = attrs.get("ids") or attrs.get("include") or ",".join(self.gallery_ids)
            return f'<masthead-gallery data-ids="{escape(ids)}"></masthead-gallery>'

        content = CAPTION.sub(caption, content)
        content = EMBED.sub(embed, content)
        content = GALLERY.sub(gallery, content)
        closing = {m.group(2).lower() for m in SHORTCODE.finditer(content) if m.group(1)}

        def other(match: re.Match) -> str:
            name = match.group(2).lower()
            if name in KNOWN_SHORTCODES or match.group(3).strip() or name in closing:
                self.result.note(f"Shortcode [{name}] is not supported: removed, its text kept.")
                return ""
            return match.group(0)

        return SHORTCODE.sub(other, content)

    def run(self, content: str) -> Conversion:
        content = self.expand_shortcodes(content.replace("\r\n", "\n").replace("\r", "\n"))
        try:
            soup = BeautifulSoup(content, "html.parser")
        except ParserRejectedMarkup:
            # Python's HTML parser gives up on some malformed declarations ("<![>"):
            # keep the post's words as text instead of failing the whole import.
            self.result.note("The HTML could not be parsed: its text was kept as plain text.")
            soup = BeautifulSoup(f"<p>{escape(content)}</p>", "html.parser")
        # One pass over the tree for all of them: a pass per tag name costs more than
        # the rest of the conversion on a large archive.
        for tag in soup.find_all(DROPPED_TAGS):
            if tag.decomposed:  # inside a tag removed before it
                continue
            self.result.note(f"<{tag.name}> removed: it cannot run or show in a story.")
            tag.decompose()
        for comment in soup.find_all(string=lambda s: isinstance(s, Comment)):
            comment.extract()
        self.soup = soup
        self.walk(soup, top=True)
        self.flush()
        self.clean_paragraphs()
        return self.result

    def clean_paragraphs(self) -> None:
        """Clean every paragraph's nodes through the whitelist, dropping empty ones.

        The nodes come from the post's one parse (see ``clean_nodes``).
        """
        doc = BeautifulSoup("", "html.parser")
        for block in self.result.blocks:
            if block["type"] == "paragraph":
                block["value"] = clean_nodes(doc, block["value"])
        self.result.blocks = [
            b for b in self.result.blocks if b["type"] != "paragraph" or plain_text(b["value"])
        ]

    def new_paragraph(self, *children: PageElement) -> Tag:
        paragraph = self.soup.new_tag("p")
        paragraph.extend(list(children))
        return paragraph

    def link(self, url: str) -> Tag:
        anchor = self.soup.new_tag("a", attrs={"href": url})
        anchor.append(NavigableString(url))
        return anchor

    def add(self, block_type: str, value: Any) -> None:
        self.result.blocks.append({"type": block_type, "value": value})

    def flush(self) -> None:
        """Make a paragraph block of the gathered nodes (cleaned in clean_paragraphs())."""
        nodes, self.buffer = self.buffer, []
        # Leading and trailing white space of the paragraph's text is dropped.
        while nodes and not isinstance(nodes[0], Tag):
            text = str(nodes[0]).lstrip()
            if text:
                nodes[0] = NavigableString(text)
                break
            nodes.pop(0)
        while nodes and not isinstance(nodes[-1], Tag):
            text = str(nodes[-1]).rstrip()
            if text:
                nodes[-1] = NavigableString(text)
                break
            nodes.pop()
        if not nodes:
            return
        first = nodes[0]
        if not (isinstance(first, Tag) and (first.name == "p" or first.name[:2] in ("ul", "ol"))):
            nodes = [self.new_paragraph(*nodes)]
        self.add("paragraph", nodes)

    def text(self, node: NavigableString, top: bool) -> None:
        value = str(node)  # the text alone, also of CDATA and other special strings
        if not top:
            self.buffer.append(NavigableString(value))
            return
        # Classic-editor posts have no <p>: WordPress makes paragraphs of blank-line gaps
        # and embeds a known provider's URL that stands alone on a line.
        for index, chunk in enumerate(re.split(r"\n\s*\n", value)):
            if index:
                self.flush()
            lines = chunk.split("\n")
            kept = []
            for line in lines:
                match = URL_LINE.match(line)
                if match and _is_embed_url(match.group(1)):
                    self.buffer.append(NavigableString(" ".join(kept)))
                    kept = []
                    self.flush()
                    self.add("embed", {"embed": match.group(1), "caption": ""})
                else:
                    kept.append(line)
            self.buffer.append(NavigableString("\n".join(kept)))

    def walk(self, container: Tag, top: bool = False) -> None:
        for node in list(container.children):
            if isinstance(node, NavigableString):
                self.text(node, top)
            elif isinstance(node, Tag):
                self.element(node, top)

    def has_blocks(self, tag: Tag) -> bool:
        # A plain scan: ``tag.find(BLOCK_TAGS)`` builds a matcher on every call, and this
        # runs for every paragraph of every post (a tenth of a large import's time).
        return any(isinstance(node, Tag) and node.name in BLOCK_TAGS for node in tag.descendants)

    def element(self, tag: Tag, top: bool) -> None:
        name = tag.name
        if name == "p":
            self.flush()
            if self.has_blocks(tag):
                self.walk(tag)
            else:
                self.buffer.append(tag)
            self.flush()
        elif name in HEADINGS:
            self.flush()
            text = plain_text(str(tag))
            if len(text) > HEADING_MAX:
                self.result.note("A heading longer than 160 characters was shortened.")
            if text:
                self.add("heading", truncate(text, HEADING_MAX))
        elif name == "blockquote":
            self.flush()
            self.blockquote(tag)
        elif name in ("ul", "ol"):
            self.flush()
            if tag.find(["img", "figure"]) is not None:  # a block-editor gallery
                self.walk(tag)
            else:
                self.buffer.append(tag)
                self.flush()
        elif name == "li":
            self.walk(tag)
        elif name == "figure":
            self.flush()
            self.figure(tag)
        elif name == "img":
            self.flush()
            self.image(tag, "")
        elif name == "a" and tag.find("img") is not None and not plain_text(str(tag)):
            self.flush()
            for img in tag.find_all("img"):
                self.image(img, "")
        elif name in ("iframe", "video", "audio", "embed"):
            self.flush()
            self.media(tag)
        elif name == "table":
            self.flush()
            self.table(tag)
        elif name == "pre":
            self.flush()
            self.buffer.append(self.new_paragraph(NavigableString(tag.get_text())))
            self.flush()
        elif name == "hr":
            self.flush()
        elif name == "masthead-gallery":
            self.flush()
            self.gallery(tag.get("data-ids", ""))
        elif name == "masthead-embed":
            self.flush()
            self.add("embed", {"embed": html_lib.unescape(tag.get("data-url", "")), "caption": ""})
        elif name == "figcaption":
            self.buffer.append(tag)
        elif name in BLOCK_TAGS or self.has_blocks(tag):
            # Containers (div, section ...) and inline tags wrapping blocks: keep the contents.
            if name in BLOCK_TAGS:
                self.flush()
            self.walk(tag, top=top and name in BLOCK_TAGS)
            if name in BLOCK_TAGS:
                self.flush()
        else:
            self.buffer.append(tag)

    def blockquote(self, tag: Tag) -> None:
        classes = tag.get("class") or []
        if {"twitter-tweet", "instagram-media", "tiktok-embed"} & set(classes):
            links = [a.get("href", "") for a in tag.find_all("a") if a.get("href")]
            url = (
                tag.get("data-instgrm-permalink") or tag.get("cite") or (links[-1] if links else "")
            )
            if url.startswith("http"):
                self.add("embed", {"embed": url, "caption": ""})
                return
        attribution = ""
        cite = tag.find(["cite", "footer"])
        if cite is not None:
            attribution = plain_text(str(cite)).lstrip("—–- ").strip()
            cite.decompose()
        paragraphs = [plain_text(str(p)) for p in tag.find_all("p")] or [plain_text(str(tag))]
        text = "\n\n".join(p for p in paragraphs if p)
        if text:
            self.add(
                "quote",
                {
                    "quote": text,
                    "attribution": truncate(attribution, ATTRIBUTION_MAX),
                    "role": "",
                },
            )

    def figure(self, tag: Tag) -> None:
        caption_tag = tag.find("figcaption")
        caption = plain_text(str(caption_tag)) if caption_tag else ""
        if caption_tag:
            caption_tag.decompose()
        classes = " ".join(tag.get("class") or [])
        if "wp-block-embed" in classes:
            wrapper = tag.find(class_="wp-block-embed__wrapper")
            url = plain_text(str(wrapper)) if wrapper else ""
            if not url:
                frame = tag.find("iframe")
                url = embed_url_from_iframe(frame.get("src", "")) if frame else ""
            if url.startswith("http"):
                self.add("embed", {"embed": url, "caption": truncate(caption, CAPTION_MAX)})
                return
        images = tag.find_all("img")
        if tag.find(["figure", "blockquote", "table", "iframe", "video", "audio"]):
            self.walk(tag)
            self.flush()
            if caption:
                self.buffer.append(self.new_paragraph(NavigableString(caption)))
                self.flush()
        elif len(images) == 1:
            self.image(images[0], caption)
        elif images:
            for img in images:
                self.image(img, "")
        else:
            self.walk(tag)
            self.flush()

    def image(self, tag: Tag, caption: str) -> None:
        src = tag.get("src", "") or tag.get("data-src", "")
        match = re.search(r"wp-image-(\d+)", " ".join(tag.get("class") or []))
        attachment_id = match.group(1) if match else (tag.get("data-id") or "")
        image, note = self.find_image(src, attachment_id)
        if note:
            self.result.note(note)
        if image is None:
            return
        if len(caption) > CAPTION_MAX:
            self.result.note("An image caption longer than 400 characters was shortened.")
        self.add(
            "image",
            {"image": image.pk, "caption": truncate(caption, CAPTION_MAX), "credit": ""},
        )

    def gallery(self, ids: str) -> None:
        found = 0
        wanted = [i.strip() for i in ids.split(",") if i.strip()]
        for attachment_id in wanted:
            image, note = self.find_image("", attachment_id)
            if note:
                self.result.note(note)
            if image is not None:
                found += 1
                self.add("image", {"image": image.pk, "caption": "", "credit": ""})
        if not wanted:
            self.result.note("A gallery with no images was removed.")
        elif found < len(wanted):
            self.result.note(f"A gallery lost {len(wanted) - found} of its {len(wanted)} images.")

    def media(self, tag: Tag) -> None:
        src = tag.get("src", "")
        if not src:
            source = tag.find("source")
            src = source.get("src", "") if source else ""
        url = embed_url_from_iframe(src) if src else ""
        if tag.name == "iframe" and url.startswith("http") and _is_embed_url(url):
            self.add("embed", {"embed": url, "caption": ""})
        elif url.startswith("http"):
            self.result.note(f"<{tag.name}> from {urlparse(url).hostname} kept as a link.")
            self.buffer.append(self.new_paragraph(self.link(url)))
            self.flush()
        else:
            self.result.note(f"<{tag.name}> without an address removed.")

    def table(self, tag: Tag) -> None:
        self.result.note("A table was turned into one paragraph per row.")
        for row in tag.find_all("tr"):
            cells = [plain_text(str(cell)) for cell in row.find_all(["td", "th"])]
            line = " | ".join(c for c in cells if c)
            if line:
                self.add("paragraph", [self.new_paragraph(NavigableString(line))])


def html_to_blocks(
    content: str, find_image: ImageFinder, gallery_ids: list[str] | None = None
) -> Conversion:
    """Return the body blocks and the conversion notes for a post's HTML."""
    return _Converter(find_image, gallery_ids or []).run(content or "")
