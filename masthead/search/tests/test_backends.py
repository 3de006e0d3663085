"""The search backend's title norms: right values, written for the entries just saved only."""

from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext
from wagtail.search.backends import get_search_backend
from wagtail.search.models import IndexEntry

from masthead.articles.models import ArticlePage
from masthead.compat import search_backend as backends
from masthead.demo.archive import build_search_index, generate_archive
from masthead.search import services


def _entry(page):
    return IndexEntry.objects.get(object_id=str(page.pk), content_type_id=page.content_type_id)


def _title_length(page) -> int:
    from django.db.models.functions import Length

    return (
        IndexEntry.objects.filter(pk=_entry(page).pk)
        .annotate(n=Length("title"))
        .values_list("n", flat=True)
        .get()
    )


class TitleNormTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        generate_archive(30, seed=11, progress=False)
        build_search_index(progress=False)

    def test_the_database_backend_is_ours_and_still_queried_directly(self):
        self.assertTrue(
            type(get_search_backend()).__name__.startswith("Masthead"),
            type(get_search_backend()),
        )
        self.assertTrue(services.uses_database_index())

    def test_an_edited_headline_gets_the_norm_of_its_new_length(self):
        story = ArticlePage.objects.live().order_by("pk").first()
        story.title = "A much longer headline about the harbour board vote and what follows it"
        story.save_revision().publish()
        story.refresh_from_db()
        lavg = backends.average_title_length(IndexEntry.objects.all())
        self.assertAlmostEqual(_entry(story).title_norm, lavg / _title_length(story), places=6)

        story.title = "Short"
        story.save_revision().publish()
        lavg = backends.average_title_length(IndexEntry.objects.all())
        self.assertAlmostEqual(_entry(story).title_norm, lavg / _title_length(story), places=6)

    def test_publishing_writes_no_other_entry_and_reads_a_bounded_sample(self):
        before = dict(IndexEntry.objects.values_list("pk", "title_norm"))
        story = ArticlePage.objects.live().order_by("pk").last()
        story.title = "Ferry timetable changes again after the council meeting"
        with CaptureQueriesContext(connection) as queries:
            story.save_revision().publish()
        after = dict(IndexEntry.objects.values_list("pk", "title_norm"))
        changed = {pk for pk in before if before[pk] != after.get(pk)}
        self.assertLessEqual(changed, {_entry(story).pk})

        norm_sql = [q["sql"] for q in queries.captured_queries if "title_norm" in q["sql"].lower()]
        self.assertTrue(norm_sql)
        for sql in norm_sql:
            lowered = sql.lower()
            if lowered.startswith("update"):
                self.assertIn("object_id", lowered, sql)  # only the entries just written
        averages = [s for s in (q["sql"].lower() for q in queries.captured_queries) if "avg(" in s]
        self.assertTrue(averages)
        for sql in averages:
            self.assertIn("limit", sql)  # the newest NORM_SAMPLE entries, not the whole table

    def test_a_full_rebuild_still_uses_the_exact_average(self):
        from django.core.management import call_command

        call_command("update_index", verbosity=0)
        from django.db.models import Avg
        from django.db.models.functions import Length

        exact = (
            IndexEntry.objects.annotate(n=Length("title"))
            .filter(n__gt=0)
            .aggregate(a=Avg("n"))["a"]
        )
        story = ArticlePage.objects.live().order_by("pk").first()
        self.assertAlmostEqual(_entry(story).title_norm, exact / _title_length(story), places=6)
