"""The demo newsroom fills every block with real content, and a second run adds nothing."""

import datetime as dt
import re

from django.test import TestCase
from django.utils import timezone

from masthead.articles.models import ArticlePage, Correction
from masthead.demo.seed import seed
from masthead.people.models import Author
from masthead.sections.models import SectionPage, Topic


def _quiet(*args):
    return None


class DemoNewsroomTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.counts = seed(progress=_quiet, renditions=False)

    def test_demo_has_the_promised_newsroom(self):
        live = ArticlePage.objects.live().public()
        self.assertGreaterEqual(live.count(), 60)
        self.assertGreaterEqual(SectionPage.objects.live().count(), 4)
        self.assertGreaterEqual(Topic.objects.count(), 15)
        self.assertGreaterEqual(Author.objects.count(), 3)
        self.assertGreaterEqual(Correction.objects.count(), 3)
        oldest = live.order_by("first_published_at").first().first_published_at
        newest = live.order_by("-first_published_at").first().first_published_at
        self.assertLessEqual(timezone.now() - oldest, dt.timedelta(days=91))
        self.assertLessEqual(timezone.now() - newest, dt.timedelta(days=3))
        for story in live.select_related("lead_image"):
            self.assertTrue(story.lead_image and story.caption and story.credit, story.slug)
            self.assertTrue(story.authors and story.topics, story.slug)
            paragraphs = [b for b in story.body if b.block_type == "paragraph"]
            self.assertGreaterEqual(len(paragraphs), 3, story.slug)
            self.assertTrue(any(b.block_type == "quote" for b in story.body), story.slug)

    def test_every_topic_and_section_has_stories(self):
        for topic in Topic.objects.all():
            self.assertTrue(
                ArticlePage.objects.live().filter(article_topics__topic=topic).exists(), topic
            )
        for section in SectionPage.objects.all():
            self.assertGreaterEqual(ArticlePage.objects.live().descendant_of(section).count(), 3)

    def test_demo_draft_and_scheduled_story_stay_hidden(self):
        draft = ArticlePage.objects.get(slug="council-summit-agenda-draft")
        scheduled = ArticlePage.objects.get(slug="reservoir-figures-scheduled")
        self.assertFalse(draft.live or scheduled.live)
        self.assertIsNotNone(scheduled.scheduled_revision)
        home = self.client.get("/").content.decode()
        self.assertNotIn(draft.title, home)
        self.assertNotIn(scheduled.title, home)

    def test_second_run_adds_nothing(self):
        before = (
            ArticlePage.objects.count(),
            Author.objects.count(),
            Topic.objects.count(),
            Correction.objects.count(),
        )
        again = seed(progress=_quiet, renditions=False)
        self.assertEqual(again["stories_created"], 0)
        after = (
            ArticlePage.objects.count(),
            Author.objects.count(),
            Topic.objects.count(),
            Correction.objects.count(),
        )
        self.assertEqual(before, after)

    def test_demo_stories_show_the_reference_blocks_once_each(self):
        for story in ArticlePage.objects.live().order_by("pk")[::9]:
            html = self.client.get(story.url).content.decode()
            for heading in ("Related articles", "Editor's choice", "Popular"):
                self.assertRegex(html, rf"<h2[^>]*>{heading}</h2>", story.slug)
            links = re.findall(r'<h3 class="card__headline"><a href="([^"]+)"', html)
            self.assertEqual(len(links), len(set(links)), story.slug)

    def test_demo_has_a_live_page_with_a_day_of_entries(self):
        from masthead.live.models import LiveEntry, LivePage

        page = LivePage.objects.get(slug="live-port-halden-strike-day")
        self.assertEqual(page.state, "live")
        visible = LiveEntry.objects.filter(page=page).visible()
        self.assertGreaterEqual(visible.count(), 12)
        times = sorted(visible.values_list("published_at", flat=True))
        self.assertGreaterEqual(times[-1] - times[0], dt.timedelta(hours=12))
        scheduled = LiveEntry.objects.get(page=page, headline="Morning briefing")
        html = self.client.get(page.url).content.decode()
        self.assertIn("Picket lines at dawn", html)
        self.assertNotIn(scheduled.headline, html)
        self.assertIn("LiveBlogPosting", html)

    def test_demo_has_two_running_stories_from_its_storylines(self):
        from masthead.running.models import RunningStory

        self.assertEqual(RunningStory.objects.count(), 2)
        for running in RunningStory.objects.all():
            timeline = running.timeline()
            self.assertGreaterEqual(len(timeline), 5, running.name)
            response = self.client.get(running.get_absolute_url())
            self.assertContains(response, timeline[-1].story.title)
        strike = RunningStory.objects.get(name="The Port Halden dock strike")
        self.assertTrue(strike.timeline()[0].is_live)
