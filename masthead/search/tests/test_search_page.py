"""The reader search page: filters, sorting, paging, snippets, hostile input, hidden stories."""

import datetime as dt

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from wagtail.models import Page, PageViewRestriction

from masthead.articles.factories import ArticlePageFactory, body_from_paragraphs
from masthead.articles.models import ArticlePage
from masthead.people.factories import AuthorFactory
from masthead.search import services
from masthead.search.tests.corpus import ArchiveTestCase, result_slugs

HOSTILE_QUERIES = [
    "",
    "   ",
    "x" * 10_000,
    "Varsk " * 2_000,
    '"',
    '"unclosed phrase',
    '""""',
    "*",
    "Var*",
    "NEAR(Varsk crossing)",
    "Varsk NEAR crossing",
    "Varsk OR crossing",
    "Varsk AND NOT crossing",
    "(Varsk",
    "Varsk)",
    "[{Varsk}]",
    "-Varsk",
    "Varsk -crossing",
    "title:Varsk",
    "{title body}: Varsk",
    "'; DROP TABLE wagtailcore_page; --",
    "1' OR '1'='1",
    "Varsk\x00crossing",
    "Varsk' UNION SELECT password FROM auth_user --",
    "<script>alert(1)</script>",
    "%",
    "\\",
    "^Varsk$",
    "🙂 Varsk",
]


class SearchPageTests(ArchiveTestCase):
    def slugs(self, query: str) -> list[str]:
        return [hit.slug for hit in services.search(query).hits]

    def get(self, query_string: str):
        response = self.client.get(f"/search/?{query_string}")
        self.assertEqual(response.status_code, 200, query_string)
        return response.content.decode()

    def test_results_show_headline_standfirst_date_section_and_snippet(self):
        html = self.get("q=pipeline+landslide")
        story = self.pages["pipeline-delay"]
        self.assertEqual(result_slugs(html)[0], "pipeline-delay")
        self.assertIn(story.title, html)
        self.assertIn(story.standfirst, html)
        self.assertIn(story.first_published_at.strftime("%Y-%m-%d"), html)
        self.assertIn('<p class="section-label">Business</p>', html)
        self.assertIn("<mark>landslide</mark>", html)

    def test_results_show_bylines_in_order(self):
        story = ArticlePageFactory(
            parent=self.news,
            title="Quillon ferry returns",
            slug="quillon",
            live=True,
            first_published_at=timezone.now(),
            authors=[
                AuthorFactory(name="Oda Brenn", slug="oda-brenn"),
                AuthorFactory(name="Ilse Marr", slug="ilse-marr"),
            ],
        )
        self.assertEqual(story.byline, "Oda Brenn and Ilse Marr")
        html = self.get("q=quillon")
        self.assertEqual(result_slugs(html), ["quillon"])
        self.assertIn(" · Oda Brenn and Ilse Marr</p>", html)

    def test_a_page_of_results_costs_the_same_queries_whatever_its_length(self):
        counts = {}
        # One word each: a query of several words costs one more (the side-by-side check).
        for query in ("q=landslide", "q=Varsk"):
            self.get(query)  # caches (vocabulary, sections) filled by the first request
            with CaptureQueriesContext(connection) as queries:
                html = self.get(query)
            counts[query] = (len(result_slugs(html)), len(queries))
        (one, one_queries), (many, many_queries) = counts.values()
        self.assertGreaterEqual(one, 1)
        self.assertGreater(many, one + 2)
        self.assertEqual(one_queries, many_queries, counts)

    def test_hostile_queries_return_a_normal_page_and_change_nothing(self):
        pages_before = Page.objects.count()
        for query in HOSTILE_QUERIES:
            with self.subTest(query=query[:40]):
                response = self.client.get("/search/", {"q": query})
                self.assertEqual(response.status_code, 200)
                self.assertIn(b'<form class="search-form"', response.content)
        self.assertEqual(Page.objects.count(), pages_before)

    def test_hostile_syntax_is_searched_as_plain_words(self):
        self.assertIn("varsk-deal", result_slugs(self.get("q=%28Varsk+OR+*+-deal%29")))
        # "near" is an ordinary word; "or" is too common to count.
        self.assertIn("lorry-queue", result_slugs(self.get("q=NEAR%28%29+OR+*")))

    def test_invalid_utf8_and_bad_parameters_return_a_normal_page(self):
        for query_string in [
            "q=%ff%fe",
            "q=Varsk%ff",
            "q=%c3%28",
            "q=%00",
            "q=Varsk&page=abc",
            "q=Varsk&page=-3",
            "q=Varsk&page=99999999999",
            "q=Varsk&from=2026-13-45&to=yesterday",
            "q=Varsk&sort=%27%3Bdrop",
            "q=Varsk&section=..%2F..%2Fetc&topic=%ff&author=%27",
            "q=Varsk&q=again",
        ]:
            with self.subTest(query_string=query_string):
                self.get(query_string)

    def test_empty_query_without_filters_lists_nothing(self):
        html = self.get("q=")
        self.assertEqual(result_slugs(html), [])
        self.assertIn("Type a name, place or event", html)

    def test_empty_query_with_a_filter_lists_newest_first(self):
        slugs = result_slugs(self.get("author=hana-vetrova-missing"))
        self.assertEqual(slugs, [])
        slugs = result_slugs(self.get("topic=vetrova"))
        self.assertEqual(slugs, ["strike-ends", "vetrova-strike"])

    def test_filters_by_section_topic_author_and_dates(self):
        self.assertEqual(result_slugs(self.get("q=strike&section=business")), ["strike-ends"])
        self.assertEqual(result_slugs(self.get("q=strike&topic=serel")), ["hospital-strike"])
        self.assertEqual(
            set(result_slugs(self.get("q=pipeline&author=sofia-tarrant"))),
            {"ouros-pipeline", "pipeline-delay", "minister-resigns", "solar-farm"}
            & set(result_slugs(self.get("q=pipeline"))),
        )
        today = timezone.now().date()
        recent = (today - dt.timedelta(days=5)).isoformat()
        self.assertEqual(result_slugs(self.get(f"q=pipeline&from={recent}")), ["pipeline-delay"])
        older = (today - dt.timedelta(days=20)).isoformat()
        self.assertEqual(result_slugs(self.get(f"q=pipeline&to={older}")), ["ouros-pipeline"])

    def test_sort_by_date_puts_the_newest_first(self):
        slugs = result_slugs(self.get("q=Varsk&sort=date"))
        dates = [self.pages[s].first_published_at for s in slugs]
        self.assertGreater(len(slugs), 2)
        self.assertEqual(dates, sorted(dates, reverse=True))
        self.assertNotEqual(slugs, result_slugs(self.get("q=Varsk")))

    def test_pagination_keeps_the_query_and_filters(self):
        first = services.search("Marevia")
        self.assertGreater(first.total, services.PAGE_SIZE)
        html = self.get("q=Marevia&sort=date")
        self.assertIn('href="?q=Marevia&amp;sort=date&amp;page=2"', html)
        second = result_slugs(self.get("q=Marevia&sort=date&page=2"))
        self.assertTrue(second)
        self.assertFalse(set(second) & set(result_slugs(html)))

    def test_phrase_in_quotes_requires_the_words_together(self):
        self.assertEqual(result_slugs(self.get("q=%22Halden+Group%22")), ["halden-group"])
        self.assertIn("group-of-halden", result_slugs(self.get("q=Halden+Group")))

    def test_misspelt_query_is_corrected_and_explained(self):
        html = self.get("q=Siromack")
        self.assertIn("Showing results for", html)
        self.assertIn("siromak-recount", result_slugs(html))

    def test_did_you_mean_links_to_the_corrected_query(self):
        results = services.search("Vetrowa")
        self.assertEqual(results.corrected_from, "Vetrowa")
        story = ArticlePageFactory(
            parent=self.pages["strike-ends"].get_parent(),
            title="Vetrowa is a village on the lake",
            slug="vetrowa-village",
            standfirst="It has one shop.",
            live=True,
            first_published_at=timezone.now() - dt.timedelta(days=800),
        )
        ArticlePage.objects.filter(pk=story.pk).update(title="A village on the lake")
        # The index still holds the old headline; the vocabulary is rebuilt from titles.
        html = self.get("q=Vetrowa")
        self.assertIn("Did you mean:", html)
        self.assertIn('Did you mean: <a href="?q=vetrova&amp;sort=relevance">vetrova</a>', html)
        self.assertEqual(result_slugs(html), ["vetrowa-village"])

    def test_did_you_mean_learns_the_words_of_a_newly_published_story(self):
        self.assertIsNone(services.search("Zandarowa").corrected_from)  # vocabulary now cached
        page = ArticlePageFactory(
            parent=self.news, live=False, slug="marathon", title="Zandarova wins the marathon"
        )
        page.save_revision().publish()
        results = services.search("Zandarowa")
        self.assertEqual(results.corrected_from, "Zandarowa")
        self.assertEqual([hit.slug for hit in results.hits], ["marathon"])

    def test_snippet_is_escaped_and_highlights_matched_words(self):
        story = ArticlePageFactory(
            parent=self.pages["strike-ends"].get_parent(),
            title="Quarry workers walk out",
            slug="quarry",
            standfirst="A short stoppage.",
            body=body_from_paragraphs(["<script>alert(1)</script> The Zelcova quarry closed."]),
            live=True,
            first_published_at=timezone.now(),
        )
        html = self.get("q=zelcova")
        self.assertEqual(result_slugs(html), [story.slug])
        self.assertIn("<mark>Zelcova</mark>", html)
        self.assertNotIn("<script>alert(1)</script>", html)

    def test_header_has_a_search_box_that_needs_no_javascript(self):
        html = self.client.get("/").content.decode()
        self.assertRegex(
            html, r'<form class="site-search" role="search" action="/search/" method="get">'
        )
        self.assertIn('name="q"', html)

    # Only published, public stories are found; the index follows publish and unpublish.

    def test_drafts_scheduled_unpublished_and_private_stories_are_never_found(self):
        draft = ArticlePageFactory(
            parent=self.news, live=False, slug="s-draft", title="Quixotic draft"
        )
        draft.save_revision()
        scheduled = ArticlePageFactory(
            parent=self.news, live=False, slug="s-scheduled", title="Quixotic scheduled"
        )
        scheduled.go_live_at = timezone.now() + dt.timedelta(days=1)
        scheduled.save_revision().publish()
        unpublished = ArticlePageFactory(
            parent=self.news, live=True, slug="s-unpublished", title="Quixotic unpublished"
        )
        unpublished.unpublish()
        private = ArticlePageFactory(
            parent=self.news, live=True, slug="s-private", title="Quixotic private"
        )
        PageViewRestriction.objects.create(page=private, restriction_type="login")
        self.assertEqual(self.slugs("quixotic"), [])
        html = self.client.get("/search/?q=quixotic").content.decode()
        self.assertNotIn("Quixotic", html.split("</form>", 1)[1])
        # Did-you-mean must not leak hidden words either.
        self.assertIsNone(services.search("quixotik").suggestion)

    def test_a_private_section_is_neither_offered_nor_searched(self):
        business = self.pages["strike-ends"].get_parent()
        self.assertIn('<option value="business"', self.get("q=strike"))
        self.assertEqual(result_slugs(self.get("q=strike&section=business")), ["strike-ends"])
        PageViewRestriction.objects.create(page=business, restriction_type="login")
        html = self.get("q=strike")
        self.assertNotIn('<option value="business"', html)
        self.assertNotIn("strike-ends", result_slugs(html))
        self.assertEqual(result_slugs(self.get("q=strike&section=business")), [])
        self.assertEqual(result_slugs(self.get("section=business")), [])

    def test_index_follows_publish_edit_and_unpublish(self):
        page = ArticlePageFactory(
            parent=self.news,
            live=False,
            slug="lifecycle",
            title="Obsidian mine plans revealed",
            standfirst="A draft standfirst.",
        )
        page.save_revision()
        self.assertEqual(self.slugs("obsidian"), [])

        page.save_revision().publish()
        self.assertEqual(self.slugs("obsidian"), ["lifecycle"])

        # An unpublished edit changes nothing readers can find.
        page = ArticlePage.objects.get(pk=page.pk)
        page.title = "Basalt mine plans revealed"
        page.save_revision()
        self.assertEqual(self.slugs("basalt"), [])
        self.assertEqual(self.slugs("obsidian"), ["lifecycle"])

        # Publishing the edit replaces the old words with the new.
        page.get_latest_revision().publish()
        self.assertEqual(self.slugs("basalt"), ["lifecycle"])
        self.assertEqual(self.slugs("obsidian"), [])

        page.refresh_from_db()
        page.unpublish()
        self.assertEqual(self.slugs("basalt"), [])

    def test_new_topic_published_in_a_revision_is_searchable(self):
        from masthead.articles.models import ArticleTopic
        from masthead.sections.models import Topic

        topic = Topic.objects.create(name="Obelisk Authority", slug="obelisk", kind="organisation")
        page = ArticlePage.objects.get(pk=self.pages["heatwave"].pk)
        page.article_topics.add(ArticleTopic(topic=topic))
        page.save_revision().publish()
        self.assertEqual(self.slugs("obelisk authority"), ["heatwave"])
