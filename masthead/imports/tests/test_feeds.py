"""Importing partner feeds written for these tests (data/partner.rss, data/partner.atom)."""

from pathlib import Path

import pytest
from django.test import TestCase

from masthead.articles.models import ArticlePage
from masthead.imports.errors import ImportFileError
from masthead.imports.feeds import import_feed
from masthead.imports.models import ImportRecord
from masthead.imports.tests.conftest import make_site

DATA = Path(__file__).parent / "data"


def run(location, **kwargs):
    kwargs.setdefault("progress", False)
    return import_feed(str(location), **kwargs)


def story(external_id: str) -> ArticlePage:
    record = ImportRecord.objects.get(kind="story", external_id=external_id)
    return ArticlePage.objects.get(pk=record.page_id)


class TestImportedFeeds(TestCase):
    """The two fixture feeds imported once, shared by the read-only checks below."""

    @classmethod
    def setUpTestData(cls):
        _home, cls.news = make_site()
        cls.rss = run(DATA / "partner.rss")
        cls.atom = run(DATA / "partner.atom")

    def test_rss_entries_become_stories_with_the_partner_source_line(self):
        report = self.rss
        assert report.total("story", "created") == 3
        assert [reason for kind, _, reason in report.skipped if kind == "story"] == [
            "The entry has no id, link, title or text."
        ]
        page = story("wire-2024-0001")
        assert page.live and page.source_name == "Coastal Wire"
        assert page.source_url == "https://wire.example.net/2024/lighthouse"
        assert page.source_label == "Coastal Wire"
        assert page.standfirst == "Two keepers move back after ten years of automation."
        assert page.first_published_at.isoformat() == "2024-03-05T07:30:00+00:00"
        assert "script" not in str(page.body[-1].value) and "&amp; needed" in str(
            page.body[1].value
        )
        assert [t.name for t in page.topics] == ["Coast"]
        assert page.get_parent().pk == self.news.pk

    def test_entry_without_guid_is_keyed_by_link_and_entities_are_decoded(self):
        page = story("https://wire.example.net/2024/tides")
        assert page.title == "Tide tables & storm warnings for the week"
        assert page.standfirst == "High water comes early this week."

    def test_future_dated_entry_is_not_backdated_into_the_future(self):
        report = self.rss
        page = story("wire-2099-0001")
        assert page.first_published_at.year < 2099
        assert any("future" in note for _, note in report.notes)

    def test_enclosure_on_a_loopback_address_is_refused_and_reported(self):
        report = self.rss
        refused = [r for kind, _, r in report.skipped if kind == "image"]
        assert refused and "loopback, private or link-local" in refused[0]
        assert story("wire-2024-0001").lead_image is None

    def test_atom_xhtml_and_html_content(self):
        report = self.atom
        assert report.total("story", "created") == 2
        road = story("urn:uuid:1b5e4a6c-0000-4000-8000-000000000002")
        assert road.source_name == "Highland Dispatch"
        assert road.standfirst == "Drivers must use the valley route until Friday."
        html = "".join(str(block.value) for block in road.body)
        assert "<strong>dawn</strong>" in html and "<li>Valley route open</li>" in html
        assert "xmlns" not in html
        lifts = story("urn:uuid:1b5e4a6c-0000-4000-8000-000000000003")
        assert lifts.title == "Ski lifts stay shut"
        assert lifts.first_published_at.isoformat() == "2024-03-07T10:00:00+00:00"


def test_source_name_option_and_drafts(bare_site):
    run(DATA / "partner.rss", source_name="Coastal Wire Agency", drafts=True)
    page = story("wire-2024-0001")
    assert page.source_name == "Coastal Wire Agency"
    assert not page.live
    assert page.pk not in set(ArticlePage.objects.teasers().values_list("pk", flat=True))


def test_feed_import_is_idempotent(bare_site):
    run(DATA / "partner.rss")
    pages = ArticlePage.objects.count()
    report = run(DATA / "partner.rss")
    assert report.total("story", "unchanged") == 3
    assert report.total("story", "created") == 0
    assert ArticlePage.objects.count() == pages


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:8000/feed/",
        "http://localhost/feed/",
        "http://[::1]/feed/",
        "http://169.254.169.254/latest/meta-data/",
        "http://10.1.2.3/rss",
        "http://192.168.0.1/rss",
        "file:///etc/passwd",
    ],
)
def test_feed_urls_pointing_inside_are_refused(db, url):
    if url.startswith("file:"):
        with pytest.raises(ImportFileError, match="cannot read"):
            run(url)
        return
    with pytest.raises(ImportFileError, match="Refused to fetch"):
        run(url)
    assert not ImportRecord.objects.exists()


def test_not_a_feed_is_refused(bare_site, tmp_path):
    page = tmp_path / "page.xml"
    page.write_text("<html><body><p>Hello</p></body></html>")
    with pytest.raises(ImportFileError, match="not an RSS or Atom feed"):
        run(page)


def test_malformed_feed_reports_line_and_column(bare_site, tmp_path):
    broken = tmp_path / "broken.rss"
    broken.write_text('<rss version="2.0">\n<channel>\n<item><title>A</item>\n</channel></rss>')
    with pytest.raises(ImportFileError, match=r"line 3, column \d+"):
        run(broken)
