"""The bulk indexer writes, row by row, the index entries Wagtail's backend writes.

Runs on whichever database the suite uses (SQLite by default, PostgreSQL with
MASTHEAD_TEST_DATABASE_URL), so both of the fast writers are compared with their
backend.
"""

from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext
from modelsearch.conf import get_app_config
from wagtail.search.backends import get_search_backend

from masthead.articles.factories import ArticlePageFactory
from masthead.articles.models import ArticlePage
from masthead.demo.archive import build_search_index, ensure_site, generate_archive
from masthead.people.models import Author
from masthead.search import services
from masthead.search.bulk_index import RELATIONS, _writer_for, index_pages
from masthead.sections.models import Topic

IndexEntry = get_app_config().get_model("IndexEntry")


def entries() -> list[tuple]:
    """Every index entry's columns, in entry-id order (the order the search walks)."""
    columns = ["content_type_id", "object_id", "title", "autocomplete", "body", "title_norm"]
    if connection.vendor == "postgresql":
        columns += ["title_text", "body_text"]
    return list(IndexEntry.objects.order_by("id").values_list(*columns))


def fts_rows() -> list[tuple]:
    """SQLite only: the FTS5 table's rows (filled by triggers), by entry object id."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT e.object_id, f.title, f.body, f.autocomplete FROM wagtailsearch_indexentry_fts f "
            "JOIN wagtailsearch_indexentry e ON e.id = f.rowid ORDER BY e.id"
        )
        return cursor.fetchall()


class BulkIndexTests(TestCase):
    def setUp(self):
        generate_archive(45, seed=11, progress=False)
        section = ensure_site()[0]
        # Unusual stories: no standfirst or body, no bylines or topics, an accented
        # headline, markup and quotes in the body, a byline with two topics.
        bare = ArticlePageFactory(parent=section, live=True, title="Bare", body=[])
        ArticlePage.objects.filter(pk=bare.pk).update(standfirst="")  # older rows may have none
        ArticlePageFactory(
            parent=section,
            live=True,
            title="Azərbaycan’s “ferry” ƏLİ talks",
            standfirst="  Spaces   around  ",
            body=[
                {"type": "paragraph", "value": "<p>A <b>bold</b> &amp; <i>odd</i> “quote”</p>"},
                {"type": "paragraph", "value": "<p></p>"},
            ],
            authors=[Author.objects.first()],
            topics=list(Topic.objects.all()[:2]),
        )
        self.backend = get_search_backend()
        self.ids = list(ArticlePage.objects.order_by("pk").values_list("pk", flat=True))

    def reset(self):
        IndexEntry.objects.all().delete()

    def backend_build(self, ids, batch=None):
        pages = list(
            ArticlePage.objects.filter(pk__in=ids).order_by("pk").prefetch_related(*RELATIONS)
        )
        # Masthead's backend gives each add_items call's entries the norm of the newest
        # entries' average at that moment, so the reference is built in the same batches.
        batch = batch or len(pages) or 1
        for start in range(0, len(pages), batch):
            self.backend.add_bulk(ArticlePage, pages[start : start + batch])

    def test_the_database_backend_gets_the_fast_writer(self):
        index = self.backend.get_index_for_model(ArticlePage)
        self.assertIsNotNone(_writer_for(index), type(index))

    def test_a_fresh_build_writes_the_backends_rows(self):
        self.reset()
        self.backend_build(self.ids, batch=7)
        expected = entries()
        expected_fts = fts_rows() if connection.vendor == "sqlite" else None
        self.assertEqual(len(expected), len(self.ids))

        self.reset()
        calls = []
        done = index_pages(self.ids, batch=7, progress=lambda d, t: calls.append((d, t)))
        self.assertEqual(done, len(self.ids))
        self.assertEqual(calls[-1], (len(self.ids), len(self.ids)))
        self.assertEqual(len(calls), -(-len(self.ids) // 7))
        got = entries()
        self.assertEqual(len(got), len(expected))
        for mine, theirs in zip(got, expected, strict=True):
            self.assertEqual(mine, theirs)
        if expected_fts is not None:
            self.assertEqual(fts_rows(), expected_fts)
        # Not a vacuous comparison: the rows carry the stories' text and terms.
        bare = ArticlePage.objects.get(title="Bare")
        accented = next(row for row in got if row[1] == str(self.ids[-1]))
        self.assertIn("azerbaycan", str(accented[2]).lower())
        self.assertTrue(any(row[1] == str(bare.pk) for row in got))

    def test_a_reindex_of_some_stories_updates_them_as_the_backend_does(self):
        story = ArticlePage.objects.get(pk=self.ids[3])
        subset = self.ids[:10] + self.ids[-2:]

        def indexed_then_renamed():
            self.reset()
            ArticlePage.objects.filter(pk=story.pk).update(title=story.title)
            index_pages(self.ids)
            ArticlePage.objects.filter(pk=story.pk).update(title="Completely renamed pelican")

        indexed_then_renamed()
        self.backend_build(subset)
        expected = entries()
        expected_fts = fts_rows() if connection.vendor == "sqlite" else None

        indexed_then_renamed()
        index_pages(reversed(subset), batch=5)  # ids in any order
        got = entries()
        self.assertEqual(got, expected)
        if expected_fts is not None:
            self.assertEqual(fts_rows(), expected_fts)
        self.assertIn("pelican", str(next(r for r in got if r[1] == str(story.pk))[2]))

    def test_prefetched_pages_are_indexed_as_given_as_the_backend_does(self):
        # Objects in memory, in no particular order, some already indexed under an old
        # title: the same rows as the backend's add_bulk of the same objects, batch by batch.
        order = self.ids[5:] + self.ids[:5][::-1]
        story = ArticlePage.objects.get(pk=self.ids[2])

        def prepared():
            self.reset()
            ArticlePage.objects.filter(pk=story.pk).update(title=story.title)
            index_pages(self.ids[:8])
            ArticlePage.objects.filter(pk=story.pk).update(title="Prefetched heron")
            by_id = ArticlePage.objects.prefetch_related(*RELATIONS).in_bulk(order)
            return [by_id[pk] for pk in order]

        pages = prepared()
        for start in range(0, len(pages), 9):
            self.backend.add_bulk(ArticlePage, pages[start : start + 9])
        expected = entries()
        expected_fts = fts_rows() if connection.vendor == "sqlite" else None

        pages = prepared()
        with CaptureQueriesContext(connection) as queries:
            done = index_pages(pages, prefetched=True, batch=9)
        table = ArticlePage._meta.db_table
        self.assertFalse([q["sql"] for q in queries if f'FROM "{table}"' in q["sql"]])
        self.assertEqual(done, len(order))
        self.assertEqual(entries(), expected)
        if expected_fts is not None:
            self.assertEqual(fts_rows(), expected_fts)
        self.assertIn("heron", str(next(r for r in expected if r[1] == str(story.pk))[2]))

        # The backend's add_bulk_in_memory (what the importer calls) is the same writer.
        pages = prepared()
        self.backend.add_bulk_in_memory(ArticlePage, pages)
        once = entries()
        pages = prepared()
        self.backend.add_bulk(ArticlePage, pages)
        self.assertEqual(once, entries())

    def test_prefetched_takes_only_page_objects(self):
        with self.assertRaisesMessage(TypeError, "takes ArticlePage objects"):
            index_pages(self.ids[:2], prefetched=True)

    def test_pages_querysets_and_ids_are_accepted(self):
        self.reset()
        self.assertEqual(index_pages(ArticlePage.objects.filter(pk__in=self.ids[:3])), 3)
        self.assertEqual(index_pages([ArticlePage.objects.get(pk=self.ids[4])]), 1)
        self.assertEqual(index_pages([]), 0)
        self.assertEqual(
            sorted(int(o) for o in IndexEntry.objects.values_list("object_id", flat=True)),
            self.ids[:3] + [self.ids[4]],
        )

    def test_the_archive_build_uses_it_and_stories_are_found(self):
        self.reset()
        build_search_index(progress=False)
        self.assertEqual(IndexEntry.objects.count(), len(self.ids))
        story = ArticlePage.objects.get(pk=self.ids[10])
        self.assertIn(story.pk, [hit.pk for hit in services.search(story.title).hits])
