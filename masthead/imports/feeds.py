"""Import a partner outlet's RSS 2.0, RSS 1.0 (RDF) or Atom feed as stories.

Each entry becomes a story whose source line names the outlet and links to the
original. Entries are keyed by their guid or Atom id, so a feed can be imported
again and again: new entries are added, changed ones updated, the rest left alone.
"""

import datetime as dt
import hashlib
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime
from pathlib import Path
from urllib.parse import urljoin, urlsplit
from xml.etree.ElementTree import Element, ParseError, tostring

from defusedxml import DefusedXmlException
from defusedxml import ElementTree as SafeET
from django.utils import timezone
from django.utils.html import escape
from django.utils.text import slugify

from .convert import first_sentence, html_to_blocks, plain_text, truncate
from .errors import ImportFileError, ItemError
from .fetch import Limits, fetch
from .report import ProgressBar, Report
from .service import STANDFIRST_MAX, TITLE_MAX, State, StorySpec, StoryWriter
from .wxr import parse_xml_file

ATOM = "{http://www.w3.org/2005/Atom}"
ATOM03 = "{http://purl.org/atom/ns#}"
RDF = "{http://www.w3.org/1999/02/22-rdf-syntax-ns#}"
RSS1 = "{http://purl.org/rss/1.0/}"
CONTENT = "{http://purl.org/rss/1.0/modules/content/}"
DC = "{http://purl.org/dc/elements/1.1/}"
MEDIA = "{http://search.yahoo.com/mrss/}"
FEED_LIMITS = Limits(max_bytes=10 * 1024 * 1024, timeout=30.0)


@dataclass
class FeedEntry:
    entry_id: str
    title: str = ""
    link: str = ""
    content: str = ""
    summary: str = ""
    date: dt.datetime | None = None
    categories: list[str] = field(default_factory=list)
    image_url: str = ""
    label: str = ""


@dataclass
class Feed:
    title: str
    link: str
    entries: list[FeedEntry]


def _text(element: Element | None) -> str:
    return (element.text or "").strip() if element is not None else ""


def _date(value: str) -> dt.datetime | None:
    value = value.strip()
    if not value:
        return None
    try:
        parsed = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        try:
            parsed = dt.datetime.fromisoformat(value)
        except ValueError:
            return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=dt.UTC)


def _atom_content(element: Element | None) -> str:
    if element is None:
        return ""
    kind = element.get("type", "text")
    if kind == "xhtml":
        inner = list(element)
        nodes = list(inner[0]) if len(inner) == 1 else inner
        text = inner[0].text if len(inner) == 1 else element.text
        markup = "".join(tostring(node, encoding="unicode") for node in nodes)
        return (escape(text or "")) + markup.replace("html:", "").replace(
            ' xmlns:html="http://www.w3.org/1999/xhtml"', ""
        ).replace(' xmlns="http://www.w3.org/1999/xhtml"', "")
    if kind in ("html", "text/html"):
        return element.text or ""
    return f"<p>{escape(element.text or '')}</p>"


def parse_feed(root: Element, base: str = "") -> Feed:
    """Return the entries of an RSS or Atom document."""
    if root.tag in (f"{ATOM}feed", f"{ATOM03}feed"):
        return _parse_atom(root, base, root.tag[: -len("feed")])
    if root.tag == "rss":
        channel = root.find("channel")
        items = (channel if channel is not None else root).findall("item")
        return _parse_rss(channel, items, base)
    if root.tag == f"{RDF}RDF":
        channel = root.find(f"{RSS1}channel")
        return _parse_rss(channel, root.findall(f"{RSS1}item"), base, ns=RSS1)
    raise ImportFileError(
        f"This is not an RSS or Atom feed (its root element is <{root.tag}>). Nothing was imported."
    )


def _parse_rss(channel: Element | None, items: list[Element], base: str, ns: str = "") -> Feed:
    feed = Feed(
        title=plain_text(_text(channel.find(f"{ns}title"))) if channel is not None else "",
        link=_text(channel.find(f"{ns}link")) if channel is not None else "",
        entries=[],
    )
    for item in items:
        link = _text(item.find(f"{ns}link"))
        link = urljoin(base or feed.link, link) if link else ""
        guid = _text(item.find("guid")) or item.get(f"{RDF}about", "")
        description = item.find(f"{ns}description")
        encoded = item.find(f"{CONTENT}encoded")
        image_url = ""
        for enclosure in item.findall("enclosure"):
            if enclosure.get("type", "").startswith("image/"):
                image_url = enclosure.get("url", "")
                break
        media = item.find(f"{MEDIA}content")
        if not image_url and media is not None and media.get("medium", "image") == "image":
            image_url = media.get("url", "")
        feed.entries.append(
            FeedEntry(
                entry_id=guid or link,
                title=plain_text(_text(item.find(f"{ns}title"))),
                link=link,
                content=(encoded.text or "") if encoded is not None else _text(description),
                summary=_text(description) if encoded is not None else "",
                date=_date(_text(item.find("pubDate")) or _text(item.find(f"{DC}date"))),
                categories=[_text(c) for c in item.findall("category") if _text(c)],
                image_url=image_url,
            )
        )
    return feed


def _parse_atom(root: Element, base: str, ns: str = ATOM) -> Feed:
    def link_of(element: Element) -> str:
        for link in element.findall(f"{ns}link"):
            if link.get("rel", "alternate") == "alternate" and link.get("href"):
                return urljoin(base, link.get("href", ""))
        return ""

    feed = Feed(title=plain_text(_text(root.find(f"{ns}title"))), link=link_of(root), entries=[])
    for entry in root.findall(f"{ns}entry"):
        link = link_of(entry)
        image_url = next(
            (
                item.get("href", "")
                for item in entry.findall(f"{ns}link")
                if item.get("rel") == "enclosure" and item.get("type", "").startswith("image/")
            ),
            "",
        )
        feed.entries.append(
            FeedEntry(
                entry_id=_text(entry.find(f"{ns}id")) or link,
                title=plain_text(_atom_content(entry.find(f"{ns}title"))),
                link=link,
                content=_atom_content(entry.find(f"{ns}content"))
                or _atom_content(entry.find(f"{ns}summary")),
                summary=_atom_content(entry.find(f"{ns}summary"))
                if entry.find(f"{ns}content") is not None
                else "",
                date=_date(_text(entry.find(f"{ns}published")))
                or _date(_text(entry.find(f"{ns}issued")))
                or _date(_text(entry.find(f"{ns}updated")))
                or _date(_text(entry.find(f"{ns}modified"))),
                categories=[
                    c.get("label") or c.get("term", "") for c in entry.findall(f"{ns}category")
                ],
                image_url=image_url,
            )
        )
    return feed


def read_feed(location: str) -> tuple[Feed, str]:
    """Return the feed at a URL or in a file, and the source key its records use."""
    if location.startswith(("http://", "https://")):
        try:
            data, _type = fetch(
                location, FEED_LIMITS, accept="application/rss+xml, application/atom+xml, */*"
            )
        except ItemError as exc:
            raise ImportFileError(f"{exc} Nothing was imported.") from None
        try:
            root = SafeET.fromstring(data)
        except ParseError as exc:
            line, column = exc.position
            raise ImportFileError(
                f"{location}: the XML is malformed at line {line}, column {column + 1}. "
                "Nothing was imported."
            ) from None
        except DefusedXmlException as exc:
            raise ImportFileError(
                f"{location}: the feed declares XML entities or external references ({exc}), "
                "which are refused for safety. Nothing was imported."
            ) from None
        return parse_feed(root, location), f"feed:{location}"
    path = Path(location)
    feed = parse_feed(parse_xml_file(path))
    return feed, f"feed:{feed.link or path.resolve()}"


class FeedImport:
    """One run of ``masthead import feed``."""

    def __init__(self, feed: Feed, writer: StoryWriter, *, source_name: str, drafts: bool):
        self.feed = feed
        self.writer = writer
        self.report = writer.report
        self.source_name = truncate(source_name or feed.title or "Partner feed", 120)
        self.drafts = drafts
        self.now = timezone.now()

    def run(self) -> Report:
        for index, entry in enumerate(self.feed.entries, start=1):
            entry.label = f"entry {index} {entry.title[:50]!r}"
        self.writer.run("stories", "story", self.feed.entries, self.import_entry)
        return self.report

    def find_image(self, url: str, attachment_id: str):
        if not url:
            return None, "An image without an address was removed."
        return self.writer.image_from_url(urljoin(self.feed.link, url))

    def import_entry(self, entry: FeedEntry) -> None:
        label = entry.label
        entry_id = entry.entry_id
        if not entry_id:
            if not (entry.title or entry.content):
                raise ItemError("The entry has no id, link, title or text.")
            entry_id = (
                "hash:" + hashlib.sha256(f"{entry.title}\n{entry.content}".encode()).hexdigest()
            )
            self.report.note(label, "The entry has no id or link: it is matched by its text.")
        conversion = html_to_blocks(entry.content, self.find_image)
        for note in conversion.notes:
            self.report.note(label, note)
        body_text = next(
            (plain_text(b["value"]) for b in conversion.blocks if b["type"] == "paragraph"), ""
        )
        title = entry.title or first_sentence(body_text, 100)
        if not title:
            raise ItemError("The entry has neither a title nor any text.")
        standfirst = truncate(plain_text(entry.summary), STANDFIRST_MAX) or first_sentence(
            body_text, STANDFIRST_MAX
        )
        date = entry.date
        if date is None or date > self.now:
            # The import time, kept on later runs so an undated entry is not "changed".
            known = self.writer.first_published(entry_id[:255])
            problem = "has no date" if date is None else "is dated in the future"
            self.report.note(label, f"The entry {problem}: the import time was used.")
            date = known or self.now
        lead = None
        if entry.image_url:
            lead, note = self.writer.image_from_url(urljoin(self.feed.link, entry.image_url))
            if note:
                self.report.note(label, note)
        source_url = entry.link if urlsplit(entry.link).scheme in ("http", "https") else ""
        if len(source_url) > 200:  # the field's limit: a cut address would be wrong
            self.report.note(label, "Its link is longer than 200 characters and was left out.")
            source_url = ""
        topics = [t for t in (self.writer.topic_for("", c) for c in entry.categories) if t]
        spec = StorySpec(
            external_id=entry_id[:255],
            label=label,
            title=truncate(title, TITLE_MAX),
            slug=slugify(title, allow_unicode=True)[:255] or "story",
            standfirst=standfirst or truncate(title, STANDFIRST_MAX),
            body=conversion.blocks,
            section=self.writer.default_section,
            state=State.DRAFT if self.drafts else State.LIVE,
            date=date,
            lead_image=lead,
            topics=topics,
            source_name=self.source_name,
            source_url=source_url,
        )
        outcome = self.writer.write_story(spec)
        if outcome:  # else queued: counted when its batch is written
            self.report.count("story", outcome)


def import_feed(
    location: str,
    *,
    source_name: str = "",
    section: str = "",
    drafts: bool = False,
    dry_run: bool = False,
    download: bool = True,
    progress: bool = True,
    batch_size: int | None = None,
) -> Report:
    """Import a feed from a URL or a file and return the report."""
    feed, source = read_feed(location)
    from .runner import run_import

    def make(writer: StoryWriter) -> Report:
        return FeedImport(feed, writer, source_name=source_name, drafts=drafts).run()

    return run_import(
        source,
        make,
        dry_run=dry_run,
        section=section,
        download=download,
        progress=ProgressBar if progress else None,
        batch_size=batch_size,
    )
