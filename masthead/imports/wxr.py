"""Read a WordPress eXtended RSS (WXR 1.0, 1.1, 1.2) export into plain data.

The whole file is parsed before anything is imported, so a malformed export stops
with its line and column and nothing of it is written. defusedxml refuses entity
declarations (billion laughs) and external entities (XXE).
"""

import datetime as dt
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime
from pathlib import Path
from xml.etree.ElementTree import Element, ParseError

from defusedxml import DefusedXmlException
from defusedxml import ElementTree as SafeET
from django.utils import timezone

from .errors import ImportFileError

WP_NS_PREFIXES = ("{http://wordpress.org/export/", "{https://wordpress.org/export/")
CONTENT_NS = "{http://purl.org/rss/1.0/modules/content/}"
DC_NS = "{http://purl.org/dc/elements/1.1/}"


@dataclass
class WxrAuthor:
    login: str
    author_id: str = ""
    display_name: str = ""
    email: str = ""
    first_name: str = ""
    last_name: str = ""

    @property
    def name(self) -> str:
        full = f"{self.first_name} {self.last_name}".strip()
        return self.display_name or full or self.login


@dataclass
class WxrTerm:
    kind: str  # "category", "post_tag", "nav_menu" or "author" (Co-Authors Plus bylines)
    slug: str
    name: str
    parent: str = ""


@dataclass
class WxrItem:
    post_id: str
    post_type: str
    title: str = ""
    link: str = ""
    guid: str = ""
    creator: str = ""
    content: str = ""
    excerpt: str = ""
    status: str = ""
    slug: str = ""
    password: str = ""
    parent_id: str = ""
    attachment_url: str = ""
    menu_order: str = "0"
    date: dt.datetime | None = None
    terms: list[WxrTerm] = field(default_factory=list)
    meta: dict[str, str] = field(default_factory=dict)

    @property
    def label(self) -> str:
        """Return how the report names this item: type, id and the start of the title."""
        title = " ".join(self.title.split())[:50] or "(no title)"
        return f"{self.post_type} {self.post_id or '?'} {title!r}"


@dataclass
class WxrExport:
    version: str
    title: str
    site_url: str
    base_site_url: str
    authors: dict[str, WxrAuthor]
    terms: list[WxrTerm]
    items: list[WxrItem]


def _local(tag: str) -> tuple[str, str]:
    """Return (namespace kind, local name) of an ElementTree tag."""
    if not tag.startswith("{"):
        return "", tag
    ns, local = tag[1:].split("}", 1)
    ns = "{" + ns + "}"
    if ns.startswith(WP_NS_PREFIXES):
        return ("excerpt" if ns.rstrip("}").endswith("/excerpt/") else "wp"), local
    if ns == CONTENT_NS:
        return "content", local
    if ns == DC_NS:
        return "dc", local
    return "other", local


def _children(element: Element) -> dict[tuple[str, str], str]:
    """Return the text of each direct child, keyed by (namespace kind, local name)."""
    values = {}
    for child in element:
        key = _local(child.tag)
        if key not in values:
            values[key] = (child.text or "").strip() if key[1] != "encoded" else child.text or ""
    return values


def parse_wp_date(local: str, gmt: str, rfc822: str) -> dt.datetime | None:
    """Return an aware datetime from the GMT date, else the local date, else pubDate."""
    for value, tz in ((gmt, dt.UTC), (local, timezone.get_default_timezone())):
        if value and not value.startswith("0000"):
            try:
                parsed = dt.datetime.strptime(value.strip(), "%Y-%m-%d %H:%M:%S")
            except ValueError:
                continue
            return parsed.replace(tzinfo=tz)
    if rfc822:
        try:
            parsed = parsedate_to_datetime(rfc822)
        except (TypeError, ValueError, IndexError):
            return None
        if parsed.year < 1000:
            return None
        return parsed if parsed.tzinfo else parsed.replace(tzinfo=dt.UTC)
    return None


def parse_xml_file(path: Path) -> Element:
    """Return the root element of an XML file, refusing entities and external references."""
    try:
        return SafeET.parse(str(path)).getroot()
    except ParseError as exc:
        line, column = exc.position
        raise ImportFileError(
            f"{path}: the XML is malformed at line {line}, column {column + 1} "
            f"({str(exc).split(':')[0]}). Nothing was imported."
        ) from None
    except DefusedXmlException as exc:
        raise ImportFileError(
            f"{path}: the file declares XML entities or external references ({exc}), which "
            "are refused for safety. Nothing was imported."
        ) from None
    except OSError as exc:
        raise ImportFileError(f"{path}: cannot read the file ({exc.strerror}).") from None


def parse_wxr(path: Path) -> WxrExport:
    """Return the authors, terms and items of a WXR export file."""
    root = parse_xml_file(path)
    channel = root.find("channel")
    if root.tag != "rss" or channel is None:
        raise ImportFileError(
            f"{path}: this is not a WordPress export (no <rss><channel>). Nothing was imported."
        )
    values = _children(channel)
    version = values.get(("wp", "wxr_version"), "")
    if not version:
        raise ImportFileError(
            f"{path}: this is not a WordPress export (no wp:wxr_version). Nothing was imported."
        )
    if version.split(".")[0] != "1":
        raise ImportFileError(
            f"{path}: WXR version {version} is not supported (1.0 to 1.2 are). "
            "Nothing was imported."
        )
    authors: dict[str, WxrAuthor] = {}
    terms: list[WxrTerm] = []
    items: list[WxrItem] = []
    for child in channel:
        kind, local = _local(child.tag)
        if kind == "wp" and local == "author":
            author = _parse_author(child)
            if author.login:
                authors[author.login] = author
        elif kind == "wp" and local == "category":
            fields = _children(child)
            terms.append(
                WxrTerm(
                    "category",
                    fields.get(("wp", "category_nicename"), ""),
                    fields.get(("wp", "cat_name"), ""),
                    fields.get(("wp", "category_parent"), ""),
                )
            )
        elif kind == "wp" and local == "tag":
            fields = _children(child)
            terms.append(
                WxrTerm(
                    "post_tag",
                    fields.get(("wp", "tag_slug"), ""),
                    fields.get(("wp", "tag_name"), ""),
                )
            )
        elif kind == "wp" and local == "term":
            fields = _children(child)
            taxonomy = fields.get(("wp", "term_taxonomy"), "")
            if taxonomy == "nav_menu":
                terms.append(
                    WxrTerm(
                        "nav_menu",
                        fields.get(("wp", "term_slug"), ""),
                        fields.get(("wp", "term_name"), ""),
                    )
                )
        elif kind == "" and local == "item":
            items.append(_parse_item(child))
    return WxrExport(
        version=version,
        title=values.get(("", "title"), ""),
        site_url=values.get(("wp", "base_blog_url"), "") or values.get(("", "link"), ""),
        base_site_url=values.get(("wp", "base_site_url"), ""),
        authors=authors,
        terms=terms,
        items=items,
    )


def _parse_author(element: Element) -> WxrAuthor:
    fields = _children(element)
    return WxrAuthor(
        login=fields.get(("wp", "author_login"), ""),
        author_id=fields.get(("wp", "author_id"), ""),
        display_name=fields.get(("wp", "author_display_name"), ""),
        email=fields.get(("wp", "author_email"), ""),
        first_name=fields.get(("wp", "author_first_name"), ""),
        last_name=fields.get(("wp", "author_last_name"), ""),
    )


def _parse_item(element: Element) -> WxrItem:
    fields = _children(element)
    item = WxrItem(
        post_id=fields.get(("wp", "post_id"), ""),
        post_type=fields.get(("wp", "post_type"), "post") or "post",
        title=fields.get(("", "title"), ""),
        link=fields.get(("", "link"), ""),
        guid=fields.get(("", "guid"), ""),
        creator=fields.get(("dc", "creator"), ""),
        content=fields.get(("content", "encoded"), ""),
        excerpt=fields.get(("excerpt", "encoded"), "").strip(),
        status=fields.get(("wp", "status"), ""),
        slug=fields.get(("wp", "post_name"), ""),
        password=fields.get(("wp", "post_password"), ""),
        parent_id=fields.get(("wp", "post_parent"), ""),
        attachment_url=fields.get(("wp", "attachment_url"), ""),
        menu_order=fields.get(("wp", "menu_order"), "0"),
        date=parse_wp_date(
            fields.get(("wp", "post_date"), ""),
            fields.get(("wp", "post_date_gmt"), ""),
            fields.get(("", "pubDate"), ""),
        ),
    )
    for child in element:
        kind, local = _local(child.tag)
        if kind == "" and local == "category":
            domain = child.get("domain", "")
            if domain in ("category", "post_tag", "nav_menu", "author"):
                name = (child.text or "").strip()
                item.terms.append(WxrTerm(domain, child.get("nicename", "") or "", name))
        elif kind == "wp" and local == "postmeta":
            meta = _children(child)
            key = meta.get(("wp", "meta_key"), "")
            if key:
                item.meta[key] = meta.get(("wp", "meta_value"), "")
    return item
