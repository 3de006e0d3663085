"""The synthetic archive generator: a valid page tree, live stories, a searchable index."""

import datetime as dt

from django.core.management import call_command
from django.test import TestCase
from wagtail.models import Page

from masthead.articles.models import ArticlePage
from masthead.demo.archive import build_search_index, generate_archive
from masthead.search import services


class ArchiveTests(TestCase):
    def test_generated_archive_is_a_valid_tree_of_searchable_stories(self):
        generate_archive(40, seed=3, progress=False)
        generate_archive(20, seed=4, progress=False)  # appends after existing children
        stories = ArticlePage.objects.live().public()
        self.assertEqual(stories.count(), 60)
        self.assertEqual(Page.find_problems(), ([], [], [], [], []))
        story = stories.order_by("pk").first()
        self.assertTrue(story.standfirst)
        self.assertTrue(story.authors)
        self.assertTrue(story.topics)
        self.assertEqual(self.client.get(story.url).status_code, 200)

        self.assertEqual(services.search(story.title).total, 0)  # not indexed yet
        build_search_index(progress=False)
        results = services.search(story.title)
        self.assertIn(story.pk, [hit.pk for hit in results.hits])

    def test_stories_are_dated_oldest_first(self):
        generate_archive(30, seed=5, progress=False)
        dates = list(
            ArticlePage.objects.order_by("pk").values_list("first_published_at", flat=True)
        )
        self.assertEqual(dates, sorted(dates))
        self.assertGreater(dates[-1] - dates[0], dt.timedelta(days=30))

    def test_command_refuses_sizes_out_of_range(self):
        from django.core.management.base import CommandError

        with self.assertRaises(CommandError):
            call_command("generate_archive", "0", verbosity=0)
        with self.assertRaises(CommandError):
            call_command("generate_archive", "100001", verbosity=0)
