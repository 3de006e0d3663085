"""Turn WordPress HTML (classic or block editor) into story body blocks.

Paragraphs and lists become rich text cleaned by Wagtail's own whitelist, so nothing
the admin editor would refuse (scripts, styles, event handlers, ``javascript:`` links)
reaches a page. Headings, quotes, images, galleries and embeds become their own
blocks. Anything that cannot be kept as it was is named in the conversion's notes.
"""

import html as html_lib
import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from typing import Any
from urllib.parse import urlparse

from bs4 import BeautifulSoup, Comment, NavigableString, PageElement, Tag
from bs4.exceptions import ParserRejectedMarkup
from django.utils.html import escape
from django.utils.text import Truncator

from . import shortcodes

HEADING_MAX = 160
CAPTION_MAX = 400
CREDIT_MAX = 200
ATTRIBUTION_MAX = 120

# A table or gallery past these is split into several blocks (nothing is lost, and no
# block is too large for the editor or a phone); a table wider than MAX_TABLE_COLUMNS is
# kept as text, one line per row.
MAX_TABLE_CELLS = 2500
MAX_TABLE_COLUMNS = 60
MAX_GALLERY_IMAGES = 100
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
# Audio and video sources a [audio] or [video] shortcode may name (wp_audio_shortcode).
MEDIA_SOURCE_KEYS = ("src", "mp3", "m4a", "ogg", "wav", "wma", "flac", "mp4", "m4v", "webm", "ogv")
# Jetpack's embed shortcodes whose id alone makes a URL.
ID_URLS = {
    "vimeo": "https://vimeo.com/{}",
    "dailymotion": "https://www.dailymotion.com/video/{}",
    "youtube": "https://www.youtube.com/watch?v={}",
    "tweet": "https://twitter.com/i/status/{}",
}
URL_LINE = re.compile(r"^\s*(https?://[^\s<>\"]+)\s*$")
SIZE_SUFFIX = re.compile(r"-\d+x\d+(\.\w+)$")
WHITESPACE = re.compile(r"\s+")
TAG = re.compile(r"<(?:[a-zA-Z/!?][^>]*)?>")
# Inline tags: a reader sees their words run on with the words around them ("<em>Element
# </em>)" reads "Element)"), so they are removed without leaving a space; every other tag
# (paragraphs, line breaks, cells, pictures) separates words.
INLINE_TAG = re.compile(
    r"</?(?:a|abbr|acronym|b|bdi|bdo|big|cite|code|data|del|dfn|em|font|i|ins|kbd|mark|q|s"
    r"|samp|small|span|strike|strong|sub|sup|time|tt|u|var)(?:\s[^>]*)?/?>",
    re.I,
)

# find_image(url, attachment_id) returns (image or None, note or None)
ImageFinder = Callable[[str, str], tuple[Any, str | None]]
# find_file(url, kind) with kind "audio", "video" or "document" returns
# (media or document or None, note or None).
FileFinder = Callable[[str, str], tuple[Any, str | None]]

# What a note says happened to a piece of the post (the report groups by it).
CHANGED = "changed"  # kept, in another form or shortened
KEPT_AS_TEXT = "kept as text"  # its words kept, its structure or function not
DROPPED = "dropped"  # not on the page at all


@dataclass
class Conversion:
    blocks: list[dict] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    kinds: dict[str, str] = field(default_factory=dict)  # note -> CHANGED, KEPT_AS_TEXT...

    def note(self, text: str, kind: str = CHANGED) -> None:
        if text not in self.notes:
            self.notes.append(text)
            self.kinds[text] = kind


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
        fragment = TAG.sub(" ", INLINE_TAG.sub("", fragment))
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


def picture(image_id: int, caption: str) -> dict:
    """Return an image or gallery item value for a picture WordPress showed with ``caption``.

    A picture placed without a caption is stored with ``library_caption`` off: the block
    would otherwise show the attachment's caption, words WordPress never showed there.
    """
    value = {"image": image_id, "caption": truncate(caption, CAPTION_MAX), "credit": ""}
    if not caption:
        value["library_caption"] = False
    return value


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
    def __init__(
        self,
        find_image: ImageFinder,
        gallery_ids: list[str],
        find_file: FileFinder | None,
        rewrite_link: Callable[[str], str] | None = None,
    ):
        self.find_image = find_image
        self.gallery_ids = gallery_ids
        self.find_file = find_file
        self.rewrite_link = rewrite_link
        self.result = Conversion()
        # The nodes of the paragraph being gathered; flush() makes a block of them.
        self.buffer: list[PageElement] = []
        self.soup = BeautifulSoup("", "html.parser")  # replaced by the post's in run()

    # Shortcodes are text, not markup: the registered ones become tags first; every
    # other bracketed text stays as written (masthead.imports.shortcodes).
    def expand_shortcodes(self, content: str) -> str:
        content = shortcodes.expand(content, self.shortcode)
        for name in shortcodes.possible_plugin_shortcodes(content):
            self.result.note(
                f"[{name}] may be a shortcode of a WordPress plugin this importer does not "
                "know: kept exactly as written. Check the story.",
                KEPT_AS_TEXT,
            )
        return content

    def shortcode(self, code: shortcodes.Shortcode) -> str:
        """Return the HTML a registered shortcode stands for."""
        name, attrs, inner = code.name, code.attributes, code.content or ""
        if name in ("caption", "wp_caption"):
            split = re.search(r"(<a\b[^>]*>\s*<img\b[^>]*>\s*</a>|<img\b[^>]*>)", inner, re.I)
            if not split:
                return inner
            text = inner[split.end() :].strip() or attrs.get("caption", "")
            return f"<figure>{split.group(1)}<figcaption>{text}</figcaption></figure>"
        if name == "gallery":
            ids = attrs.get("ids") or attrs.get("include") or ",".join(self.gallery_ids)
            return f'<masthead-gallery data-ids="{escape(ids)}"></masthead-gallery>'
        if name in ("audio", "video"):
            src = next((attrs[k] for k in MEDIA_SOURCE_KEYS if attrs.get(k)), "")
            if not src:
                self.result.note(f"A [{name}] shortcode without a file was removed.", DROPPED)
                return ""
            return f'<{name} src="{escape(src)}"></{name}>'
        kind = shortcodes.REGISTERED[name]
        if kind == "drop":
            self.result.note(
                f"The [{name}] shortcode (a plugin's form or widget) cannot work in an "
                "imported story and was removed.",
                DROPPED,
            )
            return ""
        if kind == "unwrap":
            self.result.note(
                f"The [{name}] layout shortcode was removed; the words inside it were kept.",
                CHANGED,
            )
            return inner
        # An embed: [embed]URL[/embed], [youtube URL], [vimeo 123], [soundcloud url=...].
        url = (inner.strip() if name == "embed" else "") or attrs.get("url") or attrs.get("0", "")
        if url and not url.startswith(("http://", "https://")) and name in ID_URLS:
            url = ID_URLS[name].format(url) if re.fullmatch(r"[\w-]+", url) else ""
        if url.startswith(("http://", "https://")):
            return f'<masthead-embed data-url="{escape(url)}"></masthead-embed>'
        self.result.note(f"A [{name}] embed without a usable address was removed.", DROPPED)
        return ""

    def run(self, content: str) -> Conversion:
        content = self.expand_shortcodes(content.replace("\r\n", "\n").replace("\r", "\n"))
        try:
            soup = BeautifulSoup(content, "html.parser")
        except ParserRejectedMarkup:
            # Python's HTML parser gives up on some malformed declarations ("<![>"):
            # keep the post's words as text instead of failing the whole import.
            self.result.note(
                "The HTML could not be parsed: its text was kept as plain text.", KEPT_AS_TEXT
            )
            soup = BeautifulSoup(f"<p>{escape(content)}</p>", "html.parser")
        # One pass over the tree for all of them: a pass per tag name costs more than
        # the rest of the conversion on a large archive.
        for tag in soup.find_all(DROPPED_TAGS):
            if tag.decomposed:  # inside a tag removed before it
                continue
            self.result.note(f"<{tag.name}> removed: it cannot run or show in a story.", DROPPED)
            tag.decompose()
        for comment in soup.find_all(string=lambda s: isinstance(s, Comment)):
            comment.extract()
        if self.rewrite_link is not None:
            for anchor in soup.find_all("a", href=True):
                anchor["href"] = self.rewrite_link(anchor["href"])
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
                self.result.note("A heading longer than 160 characters was shortened.", CHANGED)
            if text:
                self.add("heading", truncate(text, HEADING_MAX))
        elif name == "blockquote":
            self.flush()
            self.blockquote(tag)
        elif name in ("ul", "ol"):
            self.flush()
            classes = tag.get("class") or []
            if {"wp-block-gallery", "blocks-gallery-grid", "gallery"} & set(classes):
                self.figure_gallery(tag, "")
            elif tag.find(["img", "figure"]) is not None:  # pictures in a list
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
        elif name == "video" and "wp-block-cover__video-background" in (tag.get("class") or []):
            # A cover block's background: moving decoration behind its words, no content.
            self.result.note(
                "A cover block's background video was left out (the cover's words were kept).",
                DROPPED,
            )
        elif name in ("iframe", "video", "audio", "embed"):
            self.flush()
            self.media(tag)
        elif name == "table":
            self.flush()
            self.table(tag, "")
        elif name == "pre":
            self.flush()
            self.preformatted(tag)
        elif name == "dl":
            self.flush()
            self.definitions(tag)
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
        elif name == "div" and "wp-block-file" in (tag.get("class") or []):
            self.flush()
            self.file_block(tag)
        elif name in BLOCK_TAGS or self.has_blocks(tag):
            # Containers (div, section ...) and inline tags wrapping blocks: keep the contents.
            if name in BLOCK_TAGS:
                self.flush()
            self.walk(tag, top=top and name in BLOCK_TAGS)
            if name in BLOCK_TAGS:
                self.flush()
        else:
            self.buffer.append(tag)

    def preformatted(self, tag: Tag) -> None:
        """Make a paragraph of preformatted text (poems, code), its line breaks kept."""
        self.result.note(
            "Preformatted text became an ordinary paragraph (line breaks kept; spacing and "
            "typewriter type not).",
            CHANGED,
        )
        for br in tag.find_all("br"):
            br.replace_with("\n")
        lines = tag.get_text().strip("\n").split("\n")
        paragraph = self.new_paragraph()
        for index, line in enumerate(lines):
            if index:
                paragraph.append(self.soup.new_tag("br"))
            paragraph.append(NavigableString(line))
        self.buffer.append(paragraph)
        self.flush()

    def definitions(self, tag: Tag) -> None:
        """Make paragraphs of a definition list: each term in bold, then its definition."""
        self.result.note(
            "A definition list became paragraphs, each term in bold before its definition.",
            CHANGED,
        )
        for item in tag.find_all(["dt", "dd"]):
            if item.name == "dt":
                bold = self.soup.new_tag("b")
                bold.extend(list(item.contents))
                self.buffer.append(self.new_paragraph(bold))
            else:
                self.buffer.append(self.new_paragraph(*list(item.contents)))
            self.flush()

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
        if tag.find("a", href=True) is not None:
            self.result.note(
                "A link inside a quotation kept its words but not its address.", KEPT_AS_TEXT
            )
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
        # The figure's own caption: a gallery's pictures have captions of their own.
        caption_tag = tag.find("figcaption", recursive=False) or (
            None if tag.find("figure") else tag.find("figcaption")
        )
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
        tables = tag.find_all("table")
        players = tag.find_all(["audio", "video"])
        if "wp-block-gallery" in classes or "gallery" in classes.split():
            self.figure_gallery(tag, caption)
        elif len(tables) == 1 and not images and not players:
            self.table(tables[0], caption)
        elif len(players) == 1 and not tag.find(["figure", "table", "iframe"]):
            self.media(players[0], caption)
        elif tag.find(["figure", "blockquote", "table", "iframe", "video", "audio"]):
            self.walk(tag)
            self.flush()
            if caption:
                self.buffer.append(self.new_paragraph(NavigableString(caption)))
                self.flush()
        elif len(images) == 1:
            self.image(images[0], caption)
        elif images:
            self.figure_gallery(tag, caption)
        else:
            self.walk(tag)
            self.flush()

    def _find_image(self, tag: Tag):
        src = tag.get("src", "") or tag.get("data-src", "")
        match = re.search(r"wp-image-(\d+)", " ".join(tag.get("class") or []))
        attachment_id = match.group(1) if match else (tag.get("data-id") or "")
        image, note = self.find_image(src, attachment_id)
        if note:
            self.result.note(note, DROPPED)
        return image

    def image(self, tag: Tag, caption: str) -> None:
        image = self._find_image(tag)
        if image is None:
            return
        if len(caption) > CAPTION_MAX:
            self.result.note("An image caption longer than 400 characters was shortened.")
        self.add("image", picture(image.pk, caption))

    def figure_gallery(self, tag: Tag, caption: str) -> None:
        """Make a gallery block of a block-editor gallery (figure or list of pictures)."""
        items = []
        wanted = 0
        for img in tag.find_all("img"):
            wanted += 1
            image = self._find_image(img)
            if image is None:
                continue
            holder = img.find_parent(["figure", "li"])
            own = holder.find("figcaption") if holder is not None and holder is not tag else None
            text = plain_text(str(own)) if own else ""
            items.append(picture(image.pk, text))
        self.add_gallery(items, wanted, caption)

    def gallery(self, ids: str) -> None:
        items = []
        wanted = [i.strip() for i in ids.split(",") if i.strip()]
        for attachment_id in wanted:
            image, note = self.find_image("", attachment_id)
            if note:
                self.result.note(note, DROPPED)
            if image is not None:
                # WordPress's [gallery] shows each attachment's caption: the library's.
                items.append({"image": image.pk, "caption": "", "credit": ""})
        self.add_gallery(items, len(wanted), "")

    def add_gallery(self, items: list[dict], wanted: int, caption: str) -> None:
        if not wanted:
            self.result.note("A gallery with no images was removed.", DROPPED)
            return
        if len(items) < wanted:
            self.result.note(
                f"A gallery lost {wanted - len(items)} of its {wanted} images.", DROPPED
            )
        if not items:
            return
        if len(caption) > CAPTION_MAX:
            self.result.note("A gallery caption longer than 400 characters was shortened.")
        chunks = [
            items[i : i + MAX_GALLERY_IMAGES] for i in range(0, len(items), MAX_GALLERY_IMAGES)
        ]
        if len(chunks) > 1:
            self.result.note(
                f"A gallery of {len(items)} pictures was split into {len(chunks)} galleries of "
                f"at most {MAX_GALLERY_IMAGES}, in the same order.",
                CHANGED,
            )
        for chunk in chunks:
            # List items carry ids, as Wagtail stores them: made from the post's content so
            # the same post gives the same blocks (and content hash) on every run.
            number = sum(1 for b in self.result.blocks if b["type"] == "gallery")
            images = [
                {
                    "type": "item",
                    "value": item,
                    "id": str(uuid.uuid5(uuid.NAMESPACE_OID, f"{number}.{i}.{item['image']}")),
                }
                for i, item in enumerate(chunk)
            ]
            self.add("gallery", {"caption": truncate(caption, CAPTION_MAX), "images": images})

    def media(self, tag: Tag, caption: str = "") -> None:
        src = tag.get("src", "")
        if not src:
            source = tag.find("source")
            src = source.get("src", "") if source else ""
        url = embed_url_from_iframe(src) if src else ""
        caption = truncate(caption, CAPTION_MAX)
        if tag.name == "iframe" and url.startswith("http") and _is_embed_url(url):
            self.add("embed", {"embed": url, "caption": caption})
            return
        if tag.name in ("audio", "video") and url.startswith("http"):
            value = {"media": None, "embed": "", "title": "", "caption": caption, "transcript": ""}
            if _is_embed_url(url):
                self.add(tag.name, {**value, "embed": url})
                return
            found, note = self.find_file(url, tag.name) if self.find_file else (None, None)
            if found is not None:
                self.add(tag.name, {**value, "media": found.pk})
                return
            reason = f" ({note})" if note else ""
            self.result.note(
                f"The {tag.name} file {url} was not imported{reason}: kept as a link to its "
                "original address.",
                KEPT_AS_TEXT,
            )
            self.link_paragraph(url, caption)
            return
        if url.startswith("http"):
            self.result.note(
                f"<{tag.name}> from {urlparse(url).hostname} kept as a link.", KEPT_AS_TEXT
            )
            self.link_paragraph(url, caption)
        else:
            self.result.note(f"<{tag.name}> without an address removed.", DROPPED)

    def link_paragraph(self, url: str, caption: str) -> None:
        self.buffer.append(self.new_paragraph(self.link(url)))
        if caption:
            self.buffer.append(self.new_paragraph(NavigableString(caption)))
        self.flush()

    def file_block(self, tag: Tag) -> None:
        """Make a document block of a block-editor file (``wp:file``), else keep its link."""
        link = tag.find("a", href=True)
        url = link.get("href", "") if link else ""
        title = plain_text(str(link)) if link else ""
        if url.startswith("http") and self.find_file:
            document, note = self.find_file(url, "document")
            if document is not None:
                self.add(
                    "document",
                    {"document": document.pk, "title": truncate(title, 255), "description": ""},
                )
                return
            reason = f" ({note})" if note else ""
            self.result.note(
                f"The file {url} was not imported{reason}: kept as a link to its original address.",
                KEPT_AS_TEXT,
            )
        # The button beside the link ("Download") is the block's furniture, not text.
        for button in tag.find_all(class_="wp-block-file__button"):
            button.decompose()
        self.walk(tag)
        self.flush()

    def table(self, tag: Tag, caption: str) -> None:
        """Make table blocks of an HTML table: header row and column, spans and caption."""
        own_caption = tag.find("caption")
        if own_caption is not None:
            caption = caption or plain_text(str(own_caption))
            own_caption.decompose()
        rows = [tr for tr in tag.find_all("tr") if tr.find_parent("table") is tag]
        grid: dict[tuple[int, int], str] = {}
        heads: dict[tuple[int, int], bool] = {}
        merges = []
        links = pictures = 0
        for r, tr in enumerate(rows):
            c = 0
            for cell in tr.find_all(["td", "th"], recursive=False):
                while (r, c) in grid:
                    c += 1
                rowspan = min(_span(cell.get("rowspan")), len(rows) - r)
                colspan = min(_span(cell.get("colspan")), MAX_TABLE_COLUMNS + 1)
                links += len(cell.find_all("a", href=True))
                pictures += len(cell.find_all("img"))
                for dr in range(rowspan):
                    for dc in range(colspan):
                        grid[(r + dr, c + dc)] = ""
                grid[(r, c)] = plain_text(str(cell))
                heads[(r, c)] = cell.name == "th"
                if rowspan > 1 or colspan > 1:
                    merges.append({"row": r, "col": c, "rowspan": rowspan, "colspan": colspan})
                c += colspan
        if not grid:
            self.result.note("An empty table was removed.", DROPPED)
            return
        height = max(r for r, _ in grid) + 1
        width = max(c for _, c in grid) + 1
        data = [[grid.get((r, c), "") for c in range(width)] for r in range(height)]
        if links:
            self.result.note(
                "Links inside a table kept their words but not their addresses.", KEPT_AS_TEXT
            )
        if pictures:
            self.result.note("Pictures inside a table were removed.", DROPPED)
        if width > MAX_TABLE_COLUMNS:
            self.result.note(
                f"A table of {width} columns (more than {MAX_TABLE_COLUMNS}) was kept as text, "
                "one paragraph per row.",
                KEPT_AS_TEXT,
            )
            for row in data:
                line = " | ".join(c for c in row if c)
                if line:
                    self.add("paragraph", [self.new_paragraph(NavigableString(line))])
            return
        in_head = [tr.find_parent("thead") is not None for tr in rows] + [False] * height
        header = in_head[0] or all(
            heads.get((0, c), False) for c in range(width) if (0, c) in heads
        )
        header = header and height > 1
        body_start = 1 if header else 0
        first_col = height > body_start and all(
            heads.get((r, 0), False) for r in range(body_start, height)
        )
        if header and sum(in_head[:height]) > 1:
            self.result.note(
                "A table's header of several rows became one header row; the others are "
                "ordinary rows.",
                CHANGED,
            )
        if len(caption) > CAPTION_MAX:
            self.result.note("A table caption longer than 400 characters was shortened.")
        caption = truncate(caption, CAPTION_MAX)
        head_rows = data[:body_start]
        body = data[body_start:]
        per_block = max(1, MAX_TABLE_CELLS // width - len(head_rows))
        chunks = [(i, body[i : i + per_block]) for i in range(0, len(body), per_block)] or [(0, [])]
        if len(chunks) > 1:
            self.result.note(
                f"A table of {width * height} cells was split into {len(chunks)} tables of at "
                f"most {MAX_TABLE_CELLS} cells, in the same order; the header row is repeated.",
                CHANGED,
            )
        for start, chunk in chunks:
            offset = body_start + start  # row index in ``data`` of the chunk's first row
            spans, hidden = [], []
            for merge in merges:
                row = merge["row"]
                if row < body_start:  # header cells: the same in every chunk
                    spans.append(dict(merge, rowspan=min(merge["rowspan"], body_start - row)))
                    continue
                if not offset <= row < offset + len(chunk):
                    continue
                local = row - offset + body_start
                spans.append(
                    dict(merge, row=local, rowspan=min(merge["rowspan"], offset + len(chunk) - row))
                )
            for span in spans:
                for dr in range(span["rowspan"]):
                    for dc in range(span["colspan"]):
                        if dr or dc:
                            hidden.append(
                                {"row": span["row"] + dr, "col": span["col"] + dc, "hidden": True}
                            )
            value = {
                "data": head_rows + chunk,
                "first_row_is_table_header": header,
                "first_col_is_header": first_col,
                "table_caption": caption,
            }
            if spans:
                value["mergeCells"] = spans
                value["cell"] = hidden
            self.add("table", {"table": value, "source": ""})


def _span(value) -> int:
    try:
        return max(1, min(int(str(value).strip() or 1), 1000))
    except (TypeError, ValueError):
        return 1


def html_to_blocks(
    content: str,
    find_image: ImageFinder,
    gallery_ids: list[str] | None = None,
    find_file: FileFinder | None = None,
    rewrite_link: Callable[[str], str] | None = None,
) -> Conversion:
    """Return the body blocks and the conversion notes for a post's HTML.

    Without ``find_file``, audio, video and document files are kept as links;
    ``rewrite_link`` gives every link's new address (links to the old site's posts).
    """
    return _Converter(find_image, gallery_ids or [], find_file, rewrite_link).run(content or "")
