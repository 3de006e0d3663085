"""How much of a WordPress archive arrives intact: words, paragraphs, quotes, tables, images.

    .venv/bin/python bench/imports/fidelity.py EXPORT.xml                 # placeholder files
    .venv/bin/python bench/imports/fidelity.py EXPORT.xml --media UPLOADS  # the site's files
    .venv/bin/python bench/imports/fidelity.py EXPORT.xml --json out.json  # per post

Imports the export into a throwaway SQLite database, then compares, for every imported
post, what WordPress shows (registered shortcodes rendered as WordPress renders them,
every other bracket as written, tags stripped, whitespace normalised) with the body of
the story page Masthead serves (its own furniture, such as "Photo:" credit lines and
"1 of 3" gallery counters, left out). Without ``--media`` every attachment gets a small
placeholder file (a picture, or the first bytes of a recording, video or PDF), so
structure is measured even where the original files are gone.

Printed: the share of posts that came over word for word, of those whose every
difference the import report names, and the share of paragraphs, quotations, tables
and images that arrived intact (``compare`` says what "intact" means for each).
"""

import argparse
import io
import json
import os
import re
import shutil
import sys
import tempfile
from collections import Counter
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urlsplit

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

_SPACE = re.compile(r"\s+")
# Masthead's own words around blocks, not the post's: credit lines, gallery counters,
# file type and size of a document, the transcript's summary, players' fallback links.
FURNITURE = (
    ".credit",
    ".gallery__count",
    ".document-link__meta",
    ".media__transcript summary",
    "audio",
    "video",
    ".table-figure__source",
)


def normalise(text: str) -> str:
    return _SPACE.sub(" ", text).strip()


@dataclass
class Reading:
    """What a reader sees of one post: its words and its parts."""

    words: list[str] = field(default_factory=list)
    paragraphs: list[str] = field(default_factory=list)
    quotes: list[str] = field(default_factory=list)
    tables: list[list[str]] = field(default_factory=list)  # non-empty cells, in order
    images: int = 0


@dataclass
class PostFidelity:
    label: str
    word_for_word: bool
    lost: list[str]
    added: list[str]
    paragraphs: tuple[int, int]  # intact, total
    quotes: tuple[int, int]
    tables: tuple[int, int]
    images: tuple[int, int]
    reported: bool = False  # the import report has notes for this post
    notes: list[str] = field(default_factory=list)  # what the report says of it
    # Each difference in its place: "... words [-lost-] [+added+] words ...".
    differences: list[str] = field(default_factory=list)


def _soup(html: str):
    from bs4 import BeautifulSoup, Comment

    soup = BeautifulSoup(html, "html.parser")
    for comment in soup.find_all(string=lambda s: isinstance(s, Comment)):
        comment.extract()
    for tag in soup.find_all(["script", "style", "noscript", "template"]):
        tag.decompose()
    return soup


# Elements that end a line of text: a word never runs on across them.
BOUNDARIES = (
    "p", "div", "li", "dt", "dd", "td", "th", "tr", "br", "h1", "h2", "h3", "h4", "h5", "h6",
    "figcaption", "blockquote", "footer", "caption", "figure", "pre", "ul", "ol",
    "table", "hr", "section", "article", "aside", "summary", "details",
)  # fmt: skip


def _text(tag) -> str:
    """Return the text of ``tag`` as a reader sees it: inline tags join, blocks separate.

    A ``<cite>`` is inline ("--<cite>Automattic</cite>" reads "--Automattic"), except as
    a quotation's attribution, on a line of its own below it.
    """
    for element in tag.find_all(BOUNDARIES):
        element.insert_before(" ")
        element.insert_after(" ")
    for cite in tag.find_all("cite"):
        if cite.parent is not None and cite.parent.name in ("blockquote", "figure", "footer"):
            cite.insert_before(" ")
            cite.insert_after(" ")
    return normalise(tag.get_text(""))


# A chunk of a classic post that wpautop does not wrap in <p>: it starts with a block.
_BLOCK_START = re.compile(
    r"<(?:h[1-6]|ul|ol|table|blockquote|pre|div|figure|dl|hr|p|section|iframe|video|audio)\b",
    re.I,
)


def _classic_paragraphs(content: str) -> list[str]:
    """Return the paragraphs wpautop makes of a classic post: its blank-line chunks.

    The chunks are cut from the HTML before parsing ("before the <a>more tag</a>." is
    one paragraph, not the two strings around the link).
    """
    paragraphs = []
    for chunk in re.split(r"\n\s*\n", content):
        chunk = chunk.strip()
        if chunk and not _BLOCK_START.match(chunk):
            paragraphs.append(_text(_soup(chunk)))
    return paragraphs


def _read(soup, classic: bool, content: str = "") -> Reading:
    reading = Reading()
    _text(soup)  # spaces at block boundaries, once for all the reads below
    for quote in soup.find_all("blockquote"):
        parts = [normalise(p.get_text("")) for p in quote.find_all("p")] or [
            normalise(quote.get_text(""))
        ]
        reading.quotes.append(" ".join(p for p in parts if p))
    for table in soup.find_all("table"):
        cells = [normalise(c.get_text("")) for c in table.find_all(["th", "td"])]
        reading.tables.append([c for c in cells if c])
    reading.images = len(soup.find_all("img"))
    paragraphs = [normalise(p.get_text("")) for p in soup.find_all("p")]
    if classic:
        # wpautop: blank lines make paragraphs of text that no tag holds.
        paragraphs += _classic_paragraphs(content)
    reading.paragraphs = [p for p in paragraphs if p]
    reading.words = normalise(soup.get_text("")).split()
    return reading


def wordpress_reading(content: str, gallery: dict[str, str], children: list[str]) -> Reading:
    """Return what WordPress shows of a post's content.

    ``gallery`` maps attachment ids to their captions (what ``[gallery]`` prints under
    each picture); ``children`` are the ids of the post's attachments, which a
    ``[gallery]`` without ids shows.
    """
    from django.utils.html import escape

    from masthead.imports import shortcodes
    from masthead.imports.convert import URL_LINE, _is_embed_url

    def render(code: shortcodes.Shortcode) -> str:
        kind = shortcodes.REGISTERED[code.name]
        if code.name in ("caption", "wp_caption"):
            # The caption is the text after the picture, else the caption attribute.
            inner = code.content or ""
            text_after = inner.rsplit(">", 1)[-1].strip() if ">" in inner else inner.strip()
            return inner if text_after else inner + escape(code.attributes.get("caption", ""))
        if code.name == "gallery":
            ids = code.attributes.get("ids") or code.attributes.get("include") or ",".join(children)
            return "".join(
                f"<figure><img data-id='{i}'><figcaption>{escape(gallery.get(i.strip(), ''))}"
                "</figcaption></figure>"
                for i in ids.split(",")
                if i.strip()
            )
        if kind == "unwrap":
            return code.content or ""
        return ""  # players, embeds and plugin widgets show no words of the story

    expanded = shortcodes.expand(content.replace("\r\n", "\n"), render)
    # WordPress shows a player, not the address, for a provider's URL alone on a line
    # (autoembed) and for an embed block.
    lines = expanded.split("\n")
    expanded = "\n".join(
        "" if (m := URL_LINE.match(line)) and _is_embed_url(m.group(1)) else line for line in lines
    )
    soup = _soup(expanded)
    # An embed block's address (WordPress shows the player) and a file block's
    # "Download" button (the block's furniture, like Masthead's own file type and size).
    for wrapper in soup.select(".wp-block-embed__wrapper, .wp-block-file__button"):
        wrapper.decompose()
    return _read(soup, classic="<p" not in content, content=expanded)


def masthead_reading(page_html: str) -> Reading:
    """Return what the story page shows of the body, without Masthead's furniture."""
    soup = _soup(page_html)
    body = soup.find(class_="story__body")
    if body is None:
        return Reading()
    images = len(body.find_all("img"))
    for selector in FURNITURE:
        for tag in body.select(selector):
            tag.decompose()
    reading = _read(body, classic=False)
    reading.images = images
    return reading


def compare(label: str, wordpress: Reading, masthead: Reading) -> PostFidelity:
    """Compare the two readings of one post.

    A paragraph or quotation is intact when its words appear, in order and unchanged,
    in the page's text; a table when a table on the page has the same cells in the same
    order; images are counted (a picture on the page for each one in the post).
    """
    # Words, not their order: a table's caption printed above it instead of below is
    # the same words; a word missing, changed or added is a difference.
    have, want = Counter(masthead.words), Counter(wordpress.words)
    lost = list((want - have).elements())
    added = list((have - want).elements())
    text = " " + " ".join(masthead.words) + " "

    def intact(parts: list[str]) -> tuple[int, int]:
        return sum(1 for p in parts if f" {p} " in text), len(parts)

    tables = sum(1 for t in wordpress.tables if t in masthead.tables)
    differences = []
    if lost or added:
        a, b = wordpress.words, masthead.words
        for op, i1, i2, j1, j2 in SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
            if op == "equal":
                continue
            before, after = " ".join(a[max(0, i1 - 4) : i1]), " ".join(a[i2 : i2 + 4])
            change = " ".join(
                part
                for part in (
                    f"[-{' '.join(a[i1:i2])}-]" if i2 > i1 else "",
                    f"[+{' '.join(b[j1:j2])}+]" if j2 > j1 else "",
                )
                if part
            )
            differences.append(f"...{before} {change} {after}...")
    return PostFidelity(
        label=label,
        word_for_word=not lost and not added,
        lost=lost,
        added=added,
        paragraphs=intact(wordpress.paragraphs),
        quotes=intact(wordpress.quotes),
        tables=(tables, len(wordpress.tables)),
        images=(min(masthead.images, wordpress.images), wordpress.images),
        differences=differences,
    )


def measure(export_path: Path, report, client) -> list[PostFidelity]:
    """Return the fidelity of every post of ``export_path`` imported as a story.

    ``report`` is the import's report (which posts it has notes for); ``client`` is a
    Django test client that reads the story pages.
    """
    from masthead.articles.models import ArticlePage
    from masthead.imports.models import ImportRecord
    from masthead.imports.wordpress import source_for
    from masthead.imports.wxr import parse_wxr

    export = parse_wxr(export_path)
    source = source_for(export, export_path)
    pages = dict(
        ImportRecord.objects.filter(source=source, kind="story").values_list(
            "external_id", "page_id"
        )
    )
    captions = {
        i.post_id: normalise(i.excerpt) for i in export.items if i.post_type == "attachment"
    }
    children: dict[str, list[str]] = {}
    for item in export.items:
        if item.post_type == "attachment":
            children.setdefault(item.parent_id, []).append(item.post_id)
    noted = {label for label, _ in report.notes}
    results = []
    for item in export.items:
        if item.post_type != "post" or item.post_id not in pages:
            continue
        page = ArticlePage.objects.get(pk=pages[item.post_id])
        if not page.live or item.password or item.status == "private":
            continue  # compared as a reader without an account sees them: public ones
        response = client.get(page.url)
        result = compare(
            item.label,
            wordpress_reading(item.content, captions, children.get(item.post_id, [])),
            masthead_reading(response.content.decode()),
        )
        result.reported = item.label in noted
        result.notes = [text for label, text in report.notes if label == item.label]
        results.append(result)
    return results


def summary(results: list[PostFidelity]) -> dict:
    """Return the shares printed at the end (and checked by the tests)."""

    def share(parts: str) -> tuple[int, int]:
        got = sum(getattr(r, parts)[0] for r in results)
        return got, sum(getattr(r, parts)[1] for r in results)

    posts = len(results)
    exact = sum(r.word_for_word for r in results)
    explained = sum(r.word_for_word or r.reported for r in results)
    return {
        "posts": posts,
        "word_for_word": (exact, posts),
        "word_for_word_or_reported": (explained, posts),
        "paragraphs": share("paragraphs"),
        "quotes": share("quotes"),
        "tables": share("tables"),
        "images": share("images"),
    }


# Stand-ins for the files of audio, video and document attachments: the first bytes of
# each kind, enough for the importer's checks (a PDF must start as one).
PLACEHOLDER_FILES = {
    ".mp3": b"ID3\x03\x00" + b"\x00" * 1024,
    ".m4a": b"\x00\x00\x00\x18ftypM4A " + b"\x00" * 1024,
    ".ogg": b"OggS" + b"\x00" * 1024,
    ".wav": b"RIFF\x00\x00\x00\x00WAVE" + b"\x00" * 1024,
    ".mp4": b"\x00\x00\x00\x18ftypmp42" + b"\x00" * 1024,
    ".m4v": b"\x00\x00\x00\x18ftypM4V " + b"\x00" * 1024,
    ".mov": b"\x00\x00\x00\x14ftypqt  " + b"\x00" * 1024,
    ".webm": b"\x1a\x45\xdf\xa3" + b"\x00" * 1024,
    ".pdf": b"%PDF-1.4\n% placeholder\n" + b"0" * 512,
}


def placeholder_uploads(export_path: Path, folder: Path) -> Path:
    """Write a small stand-in for every attachment of the export, where it would be.

    Pictures get a small picture of their format; audio, video and PDF attachments the first bytes of
    their kind (``PLACEHOLDER_FILES``). Files a post takes from elsewhere (another
    site's recording) get none: they stay links, as without their files.
    """
    from PIL import Image

    from masthead.imports.wxr import parse_wxr

    pictures = {}
    for suffix, kind in ((".jpg", "JPEG"), (".png", "PNG"), (".gif", "GIF"), (".webp", "WEBP")):
        buffer = io.BytesIO()
        Image.new("RGB", (32, 24), (120, 120, 120)).save(buffer, kind)
        pictures[suffix] = buffer.getvalue()
    pictures[".jpeg"] = pictures[".jpe"] = pictures[".jpg"]
    for item in parse_wxr(export_path).items:
        url = item.attachment_url or item.guid
        path = PurePosixPath(unquote(urlsplit(url).path))
        suffix = path.suffix.lower()
        if item.post_type != "attachment":
            continue
        if suffix in pictures:
            data = pictures[suffix]
        elif suffix in PLACEHOLDER_FILES:
            data = PLACEHOLDER_FILES[suffix]
        else:
            continue
        parts = [p for p in path.parts if p not in ("/", "..", ".")]
        target = folder.joinpath(*parts[-3:])
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
    return folder


def _percent(pair: tuple[int, int]) -> str:
    got, total = pair
    return f"{got}/{total} ({100 * got / total:.1f}%)" if total else "0/0"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("export", type=Path)
    parser.add_argument("--media", type=Path, default=None, help="the site's uploads folder")
    parser.add_argument("--json", default="", help="write every post's result here")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="masthead-fidelity-"))
    try:
        os.environ["MASTHEAD_DATA_DIR"] = str(work)
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "masthead.settings.demo")
        os.environ.pop("DATABASE_URL", None)
        sys.path.insert(0, str(Path(__file__).resolve().parent))
        from django.conf import settings
        from run import setup

        # The demo settings serve hashed static files from a manifest this run never built.
        settings.STORAGES = {
            **settings.STORAGES,
            "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        }
        setup(work)
        from django.test import Client

        from masthead.imports.wordpress import import_wordpress

        settings.ALLOWED_HOSTS = ["*"]
        media = args.media or placeholder_uploads(args.export, work / "uploads")
        report = import_wordpress(args.export, media_dir=media, download=False, progress=True)
        results = measure(args.export, report, Client())
        totals = summary(results)
        print(f"\nFidelity of {args.export.name} ({totals['posts']} published posts):")
        print(f"  word for word                 {_percent(totals['word_for_word'])}")
        print(f"  word for word, or reported    {_percent(totals['word_for_word_or_reported'])}")
        for part in ("paragraphs", "quotes", "tables", "images"):
            print(f"  {part + ' intact':<30}{_percent(totals[part])}")
        for r in results:
            if not r.word_for_word:
                print(
                    f"  - {r.label}: lost {' '.join(r.lost[:12])!r}"
                    f"{'...' if len(r.lost) > 12 else ''}; added {' '.join(r.added[:12])!r}"
                    f"{' (reported)' if r.reported else ''}"
                )
                for difference in r.differences[:8]:
                    print(f"      where: {difference}")
                for note in r.notes:
                    print(f"      report: {note}")
        if args.json:
            Path(args.json).write_text(
                json.dumps({"summary": totals, "posts": [r.__dict__ for r in results]}, indent=1)
            )
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    try:
        main()
    except Exception as exc:  # an unreadable or malformed export: say so, no traceback
        if type(exc).__name__ != "ImportFileError":
            raise
        sys.exit(str(exc))
