"""Importing WordPress exports written for these tests (data/newsroom-*.xml)."""

import io
import json
import re
import tempfile
from pathlib import Path
from unittest import mock

import pytest
from django.core.files.storage import default_storage
from django.db import DataError, transaction
from django.test import TestCase
from PIL import Image
from wagtail.contrib.redirects.models import Redirect
from wagtail.models import Page, PageLogEntry, PageViewRestriction, ReferenceIndex, Revision
from wagtail.signals import page_published

from masthead.articles.models import ArticlePage
from masthead.caching import tags
from masthead.discovery.models import ArticleIndexEntry
from masthead.images.models import MastheadImage
from masthead.imports import service
from masthead.imports.errors import ImportFileError
from masthead.imports.models import ImportRecord
from masthead.imports.service import StoryWriter
from masthead.imports.tests.conftest import make_site
from masthead.imports.wordpress import import_wordpress
from masthead.operations.bulk import insert_pages
from masthead.people.models import Author
from masthead.sections.models import SectionPage, Topic

DATA = Path(__file__).parent / "data"
EXPORT = DATA / "newsroom-1.2.xml"


def stories_only(tmp_path: Path) -> Path:
    """Return the fixture export without its page, for tests of the story writer alone.

    Pages are written one by one through Wagtail's publishing (masthead.imports.
    wordpress_pages), which sends its own signals and index updates.
    """
    text = EXPORT.read_text(encoding="utf-8")
    items = re.split(r"(?=<item>)", text)
    kept = [part for part in items if "<wp:post_type><![CDATA[page]]>" not in part]
    path = tmp_path / "stories-only.xml"
    path.write_text("".join(kept), encoding="utf-8")
    return path


def make_uploads(tmp_path: Path) -> Path:
    """Return a WordPress uploads folder holding harbour.jpg but not lost.jpg."""
    folder = tmp_path / "uploads" / "2024" / "03"
    folder.mkdir(parents=True)
    buffer = io.BytesIO()
    Image.new("RGB", (64, 40), (20, 90, 140)).save(buffer, "JPEG")
    (folder / "harbour.jpg").write_bytes(buffer.getvalue())
    (tmp_path / "secret.jpg").write_bytes(buffer.getvalue())
    return tmp_path / "uploads"


@pytest.fixture
def uploads(tmp_path) -> Path:
    return make_uploads(tmp_path)


def run(path=EXPORT, **kwargs):
    kwargs.setdefault("download", False)
    kwargs.setdefault("progress", False)
    return import_wordpress(path, **kwargs)


def story(post_id: str) -> ArticlePage:
    record = ImportRecord.objects.get(kind="story", external_id=post_id)
    return ArticlePage.objects.get(pk=record.page_id)


class TestImportedExport(TestCase):
    """One import of the fixture export, shared by the read-only checks below."""

    @classmethod
    def setUpTestData(cls):
        cls.media = make_uploads(Path(tempfile.mkdtemp(prefix="masthead-uploads-")))
        _home, cls.news = make_site()
        cls.report = run(media_dir=cls.media)

    def test_posts_become_stories_and_the_report_counts_them(self):
        report = self.report
        assert report.total("story", "created") == 10
        reasons = {label.split(" ")[1]: reason for _, label, reason in report.skipped}
        assert "trash" in reasons["110"]
        assert "111" not in reasons  # the About page becomes an information page
        assert report.total("page", "created") == 1
        assert "no wp:post_id" in reasons["?"]
        assert report.total("image", "created") == 1
        assert report.total("author", "created") == 2

    def test_publication_states_are_kept(self):
        assert story("101").live
        draft = story("102")
        assert not draft.live and draft.latest_revision is not None
        scheduled = story("105")
        assert not scheduled.live
        assert scheduled.go_live_at.year == 2099
        assert scheduled.latest_revision.approved_go_live_at.year == 2099
        private = story("107")
        assert PageViewRestriction.objects.get(page=private).restriction_type == "login"
        protected = story("106")
        restriction = PageViewRestriction.objects.get(page=protected)
        assert (restriction.restriction_type, restriction.password) == (
            "password",
            "harbour-subscribers",
        )

    def test_readers_see_only_public_published_stories(self):
        public = set(ArticlePage.objects.teasers().values_list("pk", flat=True))
        for hidden in ("102", "105", "106", "107"):
            assert story(hidden).pk not in public
        assert story("101").pk in public
        for hidden in ("106", "107"):
            response = self.client.get(story(hidden).url)
            assert response.status_code in (200, 302)
            assert story(hidden).standfirst.encode() not in response.content
        assert self.client.get(story("101").url).status_code == 200

    def test_stories_are_in_the_search_and_reference_indexes(self):
        found = [page.pk for page in ArticlePage.objects.live().search("timetable")]
        assert story("101").pk in found
        assert ReferenceIndex.get_references_to(story("101").lead_image).exists()
        assert not ImportRecord.objects.filter(indexed=False).exists()

    def test_live_story_keeps_dates_and_has_one_published_revision(self):
        page = story("101")
        assert page.first_published_at.isoformat() == "2024-03-04T10:00:00+00:00"
        assert page.live_revision_id == page.latest_revision_id
        assert not page.has_unpublished_changes
        assert Revision.page_revisions.filter(object_id=str(page.pk)).count() == 1

    def test_featured_image_becomes_lead_image_with_caption_and_credit(self):
        page = story("101")
        assert page.lead_image.title == "Harbour photo"
        assert page.caption == "The ferry quay at dawn, 4 March"
        assert page.credit == "Tamsin Vell / Harbour Gazette"
        assert page.lead_image.description == "Fishing boats moored at the quay"

    def test_body_html_becomes_blocks(self):
        page = story("101")
        types = [block.block_type for block in page.body]
        assert types == [
            "paragraph",
            "paragraph",
            "image",
            "paragraph",
            "quote",
            "embed",
            "heading",
            "paragraph",
        ]
        assert "&amp; fewer crossings" in page.body[0].value.source
        assert page.body[2].value["caption"] == "Boats at the quay before the change"
        assert page.body[2].value["image"].pk == page.lead_image.pk
        nested = page.body[3].value.source
        assert nested.count("<ul>") == 2 and "06:10 from the island" in nested
        assert page.body[4].value["attribution"] == "Ines Marlow, ferry operator"
        assert page.body[5].value["embed"].url == "https://www.youtube.com/watch?v=harbour01"
        assert page.body[6].value == "What changes for commuters"

    def test_excerpt_becomes_standfirst_else_first_sentence(self):
        assert story("101").standfirst.startswith("Fewer crossings from Monday")
        assert story("102").standfirst == "Notes from the council meeting."

    def test_entities_titles_and_non_ascii(self):
        assert story("101").title == 'Ferry timetable changes – what "winter service" means'
        assert story("102").title == "Notes from the council meeting."
        long = story("103")
        assert len(long.title) <= 255 and long.title.endswith("…")
        arabic = story("104")
        assert arabic.title == "عبّارة الجزيرة تعود إلى جدولها الصيفي"
        assert arabic.slug == "عبارة"
        assert "Ærøskøbing" in arabic.body[0].value.source

    def test_duplicate_slug_gets_a_suffix_and_is_reported(self):
        report = self.report
        assert story("101").slug == "ferry-timetable"
        assert story("108").slug == "ferry-timetable-2"
        assert any("was taken" in note for label, note in report.notes if "108" in label)

    def test_hostile_html_is_cleaned(self):
        page = story("112")
        html = "".join(str(block.value) for block in page.body)
        assert "script" not in html and "javascript:" not in html and "onclick" not in html
        assert 'href="https://example.org/ok"' in html
        assert page.title == "Comment spam"

    def test_missing_attachment_is_reported_not_fatal(self):
        report = self.report
        page = story("109")
        assert page.lead_image is None
        assert page.live
        skipped_images = [reason for kind, _, reason in report.skipped if kind == "image"]
        assert any("lost.jpg is not in the media folder" in r for r in skipped_images)
        notes = [note for label, note in report.notes if "109" in label]
        assert any("featured image" in n for n in notes)
        assert any("gallery lost 1 of its 2" in n for n in notes)
        assert any("[polldaddy]" in n for n in notes)
        assert "[sic]" in "".join(str(b.value) for b in page.body)

    def test_media_outside_the_uploads_folder_is_not_read(self):
        report = self.report
        assert not MastheadImage.objects.filter(title="Sneaky photo").exists()
        assert any("203" in label for kind, label, _ in report.skipped if kind == "image")

    def test_old_permalinks_redirect_to_published_stories_only(self):
        redirect = Redirect.objects.get(old_path="/2024/03/ferry-timetable")
        assert redirect.redirect_page_id == story("101").pk
        response = self.client.get("/2024/03/ferry-timetable/")
        assert response.status_code == 301
        assert response["Location"].endswith(story("101").url)
        assert Redirect.objects.filter(old_path="/?p=101").exists()
        assert not Redirect.objects.filter(old_path="/?p=102").exists()  # draft
        assert not Redirect.objects.filter(old_path="/?p=105").exists()  # scheduled

    def test_authors_and_tags(self):
        assert story("101").byline == "Tamsin Vell"
        assert Author.objects.filter(name="Omid Karimi").exists()
        assert {t.name for t in story("101").topics} == {"Port life", "Ferries"}
        assert not Topic.objects.filter(slug="uncategorized").exists()


def test_categories_can_become_sections(bare_site, uploads):
    run(media_dir=uploads, categories="sections")
    section = SectionPage.objects.get(slug="port-life")
    assert section.live and section.get_parent().pk == bare_site.home.pk
    assert story("101").get_parent().pk == section.pk
    assert {t.name for t in story("101").topics} == {"Ferries"}
    assert story("103").get_parent().pk == bare_site.news.pk


def test_second_run_changes_nothing_and_a_changed_post_is_updated(bare_site, uploads, tmp_path):
    run(media_dir=uploads)
    pages = ArticlePage.objects.count()
    revisions = Revision.objects.count()
    report = run(media_dir=uploads)
    assert report.total("story", "unchanged") == 10
    assert report.total("story", "created") == 0
    assert report.total("image", "unchanged") == 1
    assert ArticlePage.objects.count() == pages
    assert Revision.objects.count() == revisions
    assert MastheadImage.objects.filter(title="Harbour photo").count() == 1

    changed = tmp_path / "changed.xml"
    changed.write_text(
        EXPORT.read_text().replace("Season tickets stay valid.", "Season tickets are refunded.")
    )
    report = run(changed, media_dir=uploads)
    assert report.total("story", "updated") == 1
    assert report.total("story", "unchanged") == 9
    assert ArticlePage.objects.count() == pages
    assert Revision.objects.count() == revisions + 1
    page = story("101")
    assert page.live and "refunded" in page.body[-1].value.source
    assert page.first_published_at.isoformat() == "2024-03-04T10:00:00+00:00"


def test_crash_leaves_no_half_batch_and_next_run_finishes(bare_site, uploads):
    calls = {"n": 0}

    def crash_in_second_batch(*args, **kwargs):
        calls["n"] += 1
        pages = insert_pages(*args, **kwargs)  # written, then the process dies mid-transaction
        if calls["n"] == 2:
            raise RuntimeError("power cut")
        return pages

    with (
        mock.patch.object(service, "STORY_BATCH", 3),
        mock.patch.object(service, "insert_pages", crash_in_second_batch),
        pytest.raises(RuntimeError),
    ):
        run(media_dir=uploads)
    assert ArticlePage.objects.count() == 3  # the first batch, whole
    assert ImportRecord.objects.filter(kind="story").count() == 3
    assert Revision.objects.count() == 3
    report = run(media_dir=uploads)
    assert report.total("story", "created") == 7
    assert report.total("story", "unchanged") == 3
    assert ArticlePage.objects.count() == 10
    assert not ImportRecord.objects.filter(kind="story", indexed=False).exists()
    assert not any(Page.find_problems())


def test_crash_while_writing_one_story_leaves_nothing_of_it(bare_site, uploads):
    """The one-by-one path (a batch that failed is written again that way)."""
    original = StoryWriter._create
    calls = {"n": 0}

    def crash_on_fourth(self, spec):
        calls["n"] += 1
        if calls["n"] == 4:
            original(self, spec)  # written, then the process dies mid-transaction
            raise RuntimeError("power cut")
        return original(self, spec)

    with (
        mock.patch.object(service, "insert_pages", side_effect=DataError("batch refused")),
        mock.patch.object(StoryWriter, "_create", crash_on_fourth),
        pytest.raises(RuntimeError),
    ):
        run(media_dir=uploads)
    assert ArticlePage.objects.count() == 3
    assert ImportRecord.objects.filter(kind="story").count() == 3
    report = run(media_dir=uploads)
    assert report.total("story", "created") == 7
    assert report.total("story", "unchanged") == 3
    assert ArticlePage.objects.count() == 10


def test_dry_run_saves_nothing(bare_site, uploads):
    pages, images = ArticlePage.objects.count(), MastheadImage.objects.count()
    files = (
        set(default_storage.listdir("original_images")[1])
        if default_storage.exists("original_images")
        else set()
    )
    report = run(media_dir=uploads, dry_run=True)
    assert report.dry_run and report.total("story", "created") == 10
    assert ArticlePage.objects.count() == pages
    assert MastheadImage.objects.count() == images
    assert not ImportRecord.objects.exists()
    assert set(default_storage.listdir("original_images")[1]) == files


def test_wxr_1_1_is_read(bare_site):
    report = run(DATA / "newsroom-1.1.xml")
    assert report.total("story", "created") == 1
    page = story("7")
    assert page.first_published_at.isoformat() == "2023-11-03T13:00:00+00:00"
    assert page.byline == "editor"


def test_malformed_xml_stops_with_line_and_column_and_imports_nothing(bare_site):
    with pytest.raises(ImportFileError, match=r"line 14, column \d+"):
        run(DATA / "malformed.xml")
    assert not ImportRecord.objects.exists()


@pytest.mark.parametrize("name", ["entities.xml", "external-entity.xml"])
def test_entities_are_refused(bare_site, name):
    with pytest.raises(ImportFileError, match="refused"):
        run(DATA / name)
    assert not ImportRecord.objects.exists()


def test_not_an_export_is_refused(bare_site):
    with pytest.raises(ImportFileError, match="not a WordPress export"):
        run(DATA / "partner.rss")


def test_site_without_home_page_gets_a_clear_error(db):
    with pytest.raises(ImportFileError, match="no home page.*masthead init"):
        run()


def test_site_with_a_home_page_and_no_section_gets_a_news_section(bare_site):
    """It crashed with AttributeError: 'StoryWriter' object has no attribute 'sections'."""
    bare_site.news.delete()
    report = run()
    news = SectionPage.objects.child_of(bare_site.home).get()
    assert (news.slug, news.title, news.live) == ("news", "News", True)
    assert ArticlePage.objects.descendant_of(news).count() == report.total("story", "created") > 0


def test_item_failing_in_the_database_is_skipped_and_the_rest_import(bare_site):
    """A database error in one story fails its batch; the batch is written one by one."""
    original_create, batches = StoryWriter._create, []

    def refuse_103(self, spec):
        if spec.external_id == "103":
            original_create(self, spec)
            raise DataError("value too long for the column")
        return original_create(self, spec)

    def insert(parent, pages, **kwargs):
        batches.append(len(pages))
        written = insert_pages(parent, pages, **kwargs)
        if any(page.slug == "long-headline" for page in pages):
            raise DataError("value too long for the column")
        return written

    with (
        mock.patch.object(service, "STORY_BATCH", 4),
        mock.patch.object(service, "insert_pages", insert),
        mock.patch.object(StoryWriter, "_create", refuse_103),
    ):
        report = run()
    assert batches == [4, 4, 2]  # the failed batch went one by one, the others in bulk
    assert report.total("story", "created") == 9
    reasons = [r for _, label, r in report.skipped if label.startswith("post 103")]
    assert reasons == ["It could not be saved (DataError: value too long for the column)."]
    assert not ImportRecord.objects.filter(external_id="103").exists()
    assert not ArticlePage.objects.filter(slug="long-headline").exists()
    assert not any(Page.find_problems())


def snapshot() -> dict:
    """Return what the import left, keyed by WordPress post id, without database ids."""
    # Database ids, random block ids and times of writing differ between any two runs;
    # has_unpublished_changes in a revision is not used (the page row's flag is).
    volatile = {
        "pk",
        "id",
        "page",
        "translation_key",
        "latest_revision_created_at",
        "has_unpublished_changes",
    }

    def plain(value):
        if isinstance(value, str) and value.startswith('[{"type"'):
            value = json.loads(value)  # a StreamField in a revision
        if isinstance(value, dict):
            return {k: plain(v) for k, v in value.items() if k not in volatile}
        if isinstance(value, list):
            return [plain(v) for v in value]
        return value

    result = {}
    for record in ImportRecord.objects.filter(kind="story").order_by("external_id"):
        page = ArticlePage.objects.get(pk=record.page_id)
        revision = page.latest_revision
        result[record.external_id] = {
            "fields": [
                page.title,
                page.draft_title,
                page.slug,
                page.url_path,
                page.path,
                page.depth,
                page.live,
                page.first_published_at,
                page.last_published_at,
                page.go_live_at,
                page.locale_id,
                page.content_type_id,
                page.owner_id,
                page.standfirst,
                plain(list(page.body.raw_data)),
                page.lead_image_id,
                page.caption,
                page.credit,
            ],
            "published": (page.live_revision_id == revision.pk)
            if page.live
            else page.live_revision_id,
            "unpublished_changes": page.has_unpublished_changes,
            "revisions": Revision.page_revisions.filter(object_id=str(page.pk)).count(),
            "revision": plain(revision.content),
            "approved_go_live_at": revision.approved_go_live_at,
            "restrictions": sorted(
                PageViewRestriction.objects.filter(page=page).values_list(
                    "restriction_type", "password"
                )
            ),
            "authors": [a.name for a in page.authors],
            "topics": [t.slug for t in page.topics],
            "redirects": sorted(
                Redirect.objects.filter(redirect_page=page).values_list("old_path", flat=True)
            ),
            "history": sorted(
                PageLogEntry.objects.filter(page=page).values_list("action", flat=True)
            ),
            "references": sorted(
                ReferenceIndex.get_references_for_object(page).values_list(
                    "to_content_type_id", "model_path"
                )
            ),
            "related": ArticleIndexEntry.objects.filter(pk=page.pk).exists(),
        }
    return result


def _sequence_positions() -> dict[str, tuple[int, bool]]:
    """Where every PostgreSQL sequence stands (SQLite's counters roll back with the data)."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return {}
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT sequencename, last_value FROM pg_sequences WHERE schemaname = current_schema()"
        )
        # last_value is NULL for a sequence never used: it restarts at 1
        return {name: (value or 1, value is not None) for name, value in cursor.fetchall()}


def _restore_sequences(positions: dict[str, tuple[int, bool]]) -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        for name, (value, called) in positions.items():
            cursor.execute("SELECT setval(%s, %s, %s)", [f'"{name}"', value, called])


def test_bulk_import_leaves_what_the_one_by_one_path_leaves(bare_site, uploads):
    """The same export through both paths gives the same stories, revisions and redirects."""
    positions = _sequence_positions()
    with transaction.atomic():
        bulk_report = run(media_dir=uploads)
        assert not any(Page.find_problems())
        bulk = snapshot()
        transaction.set_rollback(True)
    # PostgreSQL keeps sequence values a rollback undid: put them back so both runs get the same ids
    _restore_sequences(positions)
    with mock.patch.object(service, "insert_pages", side_effect=DataError("use the other path")):
        report = run(media_dir=uploads)
    one_by_one = snapshot()
    assert not any(Page.find_problems())
    assert bulk_report.as_dict() == report.as_dict()
    assert len(bulk) == 10
    assert bulk == one_by_one
    live_public = [k for k, v in bulk.items() if v["fields"][6] and not v["restrictions"]]
    assert live_public and all(bulk[k]["related"] for k in live_public)


def _index_rows(page_ids: list[int]) -> tuple[list, list]:
    """Return the search index entries and reference index rows of ``page_ids``."""
    from wagtail.search.models import IndexEntry

    entries = sorted(
        tuple(sorted((k, str(v)) for k, v in row.items() if k != "id"))
        for row in IndexEntry.objects.filter(object_id__in=[str(pk) for pk in page_ids]).values()
    )
    references = sorted(
        ReferenceIndex.objects.filter(object_id__in=[str(pk) for pk in page_ids]).values_list(
            "content_type_id",
            "object_id",
            "to_content_type_id",
            "to_object_id",
            "model_path",
            "content_path",
        )
    )
    return entries, references


def test_stories_indexed_from_memory_are_indexed_as_from_the_database(bare_site, uploads):
    """New stories go into the search and reference indexes from the objects just written;
    indexing them again from what the database holds changes nothing."""
    from modelsearch.index import get_search_backends_with_name

    from masthead.operations.bulk import child_relation_names, index_references

    run(stories_only(uploads.parent), media_dir=uploads)
    ids = list(ImportRecord.objects.filter(kind="story").values_list("page_id", flat=True))
    entries, references = _index_rows(ids)
    assert len(entries) == len(ids) == 10
    assert {row[3] for row in references} >= {
        str(story("101").lead_image_id),
        *[str(a.pk) for a in story("101").authors],
    }
    pages = list(
        ArticlePage.objects.filter(pk__in=ids).prefetch_related(
            *child_relation_names(ArticlePage), "article_authors__author", "article_topics__topic"
        )
    )
    for _name, backend in get_search_backends_with_name(with_auto_update=True):
        backend.add_bulk(ArticlePage, pages)
    index_references(pages)
    assert _index_rows(ids) == (entries, references)


def test_the_search_index_is_written_by_the_bulk_writer_with_the_backends_rows(bare_site, uploads):
    """The importer writes search entries through Masthead's bulk writer (from the objects in
    memory); a fresh ``add_bulk`` of the same stories, read back, writes the same rows. Every
    story is indexed, drafts, scheduled, private and password-protected ones included, as
    ``add_bulk`` always indexed them (the search filters what readers see)."""
    from modelsearch.index import get_search_backends_with_name
    from modelsearch.utils import get_content_type_pk
    from wagtail.search.models import IndexEntry

    from masthead.search import bulk_index

    with mock.patch.object(bulk_index, "index_pages", wraps=bulk_index.index_pages) as spy:
        run(stories_only(uploads.parent), media_dir=uploads)
    assert spy.call_count >= 1 and all(c.kwargs["prefetched"] for c in spy.call_args_list)
    ids = list(ImportRecord.objects.filter(kind="story").values_list("page_id", flat=True))
    states = {
        (p.live, bool(p.go_live_at), PageViewRestriction.objects.filter(page=p).exists())
        for p in ArticlePage.objects.filter(pk__in=ids)
    }
    assert {(False, False, False), (False, True, False), (True, False, True)} <= states
    stories = IndexEntry.objects.filter(content_type_id=get_content_type_pk(ArticlePage))
    assert sorted(int(o) for o in stories.values_list("object_id", flat=True)) == sorted(ids)
    entries = _index_rows(ids)[0]
    stories.delete()
    pages = list(
        ArticlePage.objects.filter(pk__in=ids)
        .order_by("pk")
        .prefetch_related("article_authors__author", "article_topics__topic")
    )
    for _name, backend in get_search_backends_with_name(with_auto_update=True):
        backend.add_bulk(ArticlePage, pages)
    assert _index_rows(ids)[0] == entries
    assert any("harbour" in str(row).lower() for row in entries)  # rows carry the text


def test_stories_of_a_run_stopped_after_writing_are_indexed_by_the_next(bare_site, uploads):
    """A run that dies after its batches were written (and indexed from memory) but before
    the other apps caught up leaves its records "not indexed": the next run finishes them."""
    from masthead.discovery import related

    with (
        mock.patch.object(related, "update_many", side_effect=RuntimeError("power cut")),
        pytest.raises(RuntimeError),
    ):
        run(media_dir=uploads)
    assert ImportRecord.objects.filter(kind="story", indexed=False).count() == 10
    assert not ArticleIndexEntry.objects.exists()
    run(media_dir=uploads)
    assert not ImportRecord.objects.filter(kind="story", indexed=False).exists()
    live_public = ArticlePage.objects.live().public().values_list("pk", flat=True)
    assert set(ArticleIndexEntry.objects.values_list("pk", flat=True)) == set(live_public)
    ids = list(ImportRecord.objects.filter(kind="story").values_list("page_id", flat=True))
    assert len(_index_rows(ids)[0]) == 10


def test_bulk_import_makes_cached_pages_stale_once(bare_site, tmp_path):
    before = tags.versions([tags.SITE])[tags.SITE]
    sent = []

    def count(sender, **kwargs):
        sent.append(kwargs["instance"].pk)

    page_published.connect(count, dispatch_uid="test-count-published")
    try:
        run(
            stories_only(tmp_path)
        )  # no media folder: no image is saved, which would also touch the cache
    finally:
        page_published.disconnect(dispatch_uid="test-count-published")
    after = tags.versions([tags.SITE])[tags.SITE]
    assert after[0] == before[0] + 1  # one soft invalidation of every cached page
    assert sent == []  # no per-story publish work
