"""Published script-injection vectors as headlines: feeds stay valid, JSON-LD stays closed.

Reads the H5SC vectors from tests/data.
No database: the writers and the JSON-LD escaper are exercised directly.
"""

import datetime as dt
import json

import pytest
from django.utils.html import escape

from masthead.syndication.generators import FORMATS
from masthead.syndication.structured_data import json_ld_script
from masthead.syndication.text import clean_text
from tests.corpora import DATA

from .validators import parse_feed, parse_json_feed

VECTORS = DATA / "h5sc-html5-security-cheatsheet" / "rss-vectors.txt"


@pytest.fixture(scope="module")
def vectors() -> list[str]:
    assert VECTORS.exists(), f"H5SC corpus missing from tests/data: {VECTORS}"
    lines = [line for line in VECTORS.read_text(errors="replace").splitlines() if line.strip()]
    assert len(lines) > 100
    return lines


def _feed(fmt: str, vectors: list[str]) -> bytes:
    feed = FORMATS[fmt](
        title="Vectors",
        link="http://testserver/",
        description="Injection vectors as headlines",
        feed_url=f"http://testserver/feeds/{fmt}/",
        language="en",
        author_name="The Meridian Ledger",
    )
    when = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    for n, vector in enumerate(vectors):
        feed.add_item(
            title=vector,
            link=f"http://testserver/news/{n}/",
            description=escape(vector),
            unique_id=f"http://testserver/news/{n}/",
            pubdate=when,
            updateddate=when,
            categories=[vector[:40]],
            summary=vector,
            content_html=vector,
            authors=[(vector[:60], None)],
        )
    return feed.writeString("utf-8").encode()


@pytest.mark.parametrize("fmt", ["rss", "atom"])
def test_xml_feeds_of_injection_vectors_parse_without_bozo(vectors, fmt):
    result = parse_feed(_feed(fmt, vectors))
    assert len(result.entries) == len(vectors)


def test_json_feed_of_injection_vectors_matches_the_schema_and_round_trips(vectors):
    data = parse_json_feed(_feed("json", vectors))
    assert [item["title"] for item in data["items"]] == [clean_text(v) for v in vectors]


def test_json_ld_of_injection_vectors_never_closes_its_script(vectors):
    for vector in vectors:
        html = str(json_ld_script({"headline": vector}))
        assert html.lower().count("</script") == 1, vector
        assert "<!--" not in html, vector
        body = html.removeprefix('<script type="application/ld+json">').removesuffix("</script>")
        assert json.loads(body)["headline"] == clean_text(vector)
