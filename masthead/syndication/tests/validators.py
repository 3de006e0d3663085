"""Real validators for what the syndication app serves: feedparser, JSON Schema, XSD."""

import json
from functools import cache
from pathlib import Path

import feedparser
import jsonschema
from lxml import etree, html

SCHEMAS = Path(__file__).parent / "schemas"


def parse_feed(content: bytes):
    """Return the feedparser result for an RSS or Atom document, failing on any bozo flag."""
    result = feedparser.parse(content)
    assert not result.bozo, f"feedparser: {result.get('bozo_exception')!r}"
    return result


@cache
def _json_feed_validator() -> jsonschema.Draft202012Validator:
    schema = json.loads((SCHEMAS / "jsonfeed-1.1.schema.json").read_text())
    return jsonschema.Draft202012Validator(schema)


def parse_json_feed(content: bytes) -> dict:
    """Return a JSON Feed document, failing unless it matches the JSON Feed 1.1 schema."""
    data = json.loads(content)
    errors = sorted(_json_feed_validator().iter_errors(data), key=str)
    assert not errors, "; ".join(f"{list(e.path)}: {e.message}" for e in errors[:5])
    return data


@cache
def _xml_schema(name: str) -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(SCHEMAS / name)))


def parse_sitemap(content: bytes, schema: str = "sitemap.xsd") -> etree._Element:
    """Return the parsed sitemap, failing unless it validates against ``schema``."""
    doc = etree.fromstring(content)
    validator = _xml_schema(schema)
    assert validator.validate(doc), str(validator.error_log)
    return doc


SM = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
NEWS = "{http://www.google.com/schemas/sitemap-news/0.9}"


def locations(doc: etree._Element) -> list[str]:
    return [el.text for el in doc.iter(f"{SM}loc")]


def json_ld(page_html: bytes | str) -> list[dict]:
    """Return every JSON-LD object in the page, failing if one does not parse."""
    tree = html.fromstring(page_html)
    return [
        json.loads(script.text) for script in tree.xpath('//script[@type="application/ld+json"]')
    ]


def head_tags(page_html: bytes | str) -> tuple[dict, list[dict]]:
    """Return the head's meta tags by property or name, and its link tags."""
    tree = html.fromstring(page_html)
    metas: dict[str, list[str]] = {}
    for meta in tree.xpath("//head/meta"):
        key = meta.get("property") or meta.get("name")
        if key:
            metas.setdefault(key, []).append(meta.get("content"))
    links = [dict(link.attrib) for link in tree.xpath("//head/link")]
    return metas, links
