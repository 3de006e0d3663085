"""Outside test corpora in tests/data (see its README for sources and licences).

wp-importer-fixtures (GPL-2.0, WordPress importer's own WXR fixtures) and
feedparser-tests (BSD-2-Clause) are read as input only.
"""

import re
from pathlib import Path

import pytest

from masthead.imports.convert import html_to_blocks
from masthead.imports.errors import ImportFileError
from masthead.imports.feeds import parse_feed
from masthead.imports.wordpress import import_wordpress
from masthead.imports.wxr import parse_wxr, parse_xml_file
from tests.corpora import DATA

SHARED = DATA
WP = SHARED / "wp-importer-fixtures" / "phpunit" / "data"
FEEDS = SHARED / "feedparser-tests" / "tests"
UNSAFE = re.compile(
    r"<script|<iframe|<object|<embed|javascript:|vbscript:|\son\w+\s*=|<style", re.I
)


def need(path: Path) -> None:
    # tests/data is part of the checkout: a missing corpus is a failure, not a skip.
    assert path.exists(), f"{path} is missing from tests/data"


@pytest.mark.parametrize(
    ("name", "posts"),
    [("valid-wxr-1.1.xml", 1), ("small-export.xml", None), ("wxr-utf-8-challenges.xml", None)],
)
def test_wordpress_importer_fixtures_parse(name, posts):
    need(WP / name)
    export = parse_wxr(WP / name)
    items = [i for i in export.items if i.post_type == "post"]
    assert items
    if posts is not None:
        assert len(items) == posts


@pytest.mark.parametrize("name", ["malformed.xml", "malformed-simple.xml"])
def test_wordpress_importer_malformed_fixtures_stop_with_a_position(name):
    need(WP / name)
    with pytest.raises(ImportFileError, match=r"line \d+, column \d+"):
        parse_wxr(WP / name)


def test_utf8_challenges_import(bare_site):
    need(WP / "wxr-utf-8-challenges.xml")
    report = import_wordpress(WP / "wxr-utf-8-challenges.xml", download=False, progress=False)
    assert report.total("story", "created") >= 1


@pytest.mark.slow
def test_theme_unit_test_data_imports_without_crashing(bare_site):
    need(WP / "theme-unit-test-data.xml")
    report = import_wordpress(WP / "theme-unit-test-data.xml", download=False, progress=False)
    assert report.total("story", "created") > 40
    again = import_wordpress(WP / "theme-unit-test-data.xml", download=False, progress=False)
    assert again.total("story", "created") == 0


def feed_files(folder: str, limit: int | None = None) -> list[Path]:
    files = sorted((FEEDS / folder).rglob("*.xml")) if (FEEDS / folder).exists() else []
    return files[:limit] if limit else files


def test_feedparser_wellformed_feeds_parse_or_fail_cleanly():
    need(FEEDS)
    parsed = refused = 0
    for folder in ("rss", "atom10", "atom", "rdf", "amp", "base"):
        for path in feed_files(f"wellformed/{folder}"):
            try:
                root = parse_xml_file(path)
                parse_feed(root)
                parsed += 1
            except ImportFileError:
                refused += 1  # entity declarations, non-feed roots: refused with a reason
    assert parsed > 700
    assert refused < 30


def test_feedparser_sanitisation_cases_leave_nothing_executable():
    need(FEEDS)
    checked = 0
    for path in feed_files("wellformed/sanitize"):
        try:
            feed = parse_feed(parse_xml_file(path))
        except ImportFileError:
            continue
        for entry in feed.entries:
            for html in (entry.content, entry.summary):
                result = html_to_blocks(html, lambda url, attachment_id: (None, None))
                for block in result.blocks:
                    assert not UNSAFE.search(str(block["value"])), (path.name, block)
                checked += 1
    assert checked > 600
