"""The article page: model rules and the reference page structure readers receive."""

import re

import pytest
from django.core.exceptions import ValidationError
from wagtail.test.utils import WagtailPageTestCase
from wagtail.test.utils.form_data import nested_form_data, streamfield

from masthead.articles.factories import ArticlePageFactory
from masthead.articles.models import ArticlePage, Correction
from masthead.pages.models import InformationPage
from masthead.sections.models import HomePage, SectionPage

pytestmark = pytest.mark.django_db


def test_byline_joins_several_authors(newsroom):
    story = newsroom.publish(authors=[newsroom.reporter, newsroom.columnist], slug="two-authors")
    assert story.byline == "Mira Castellan and Kenji Larsson-Abe"


def test_caption_and_credit_fall_back_to_the_image(newsroom):
    story = newsroom.stories[0]
    assert story.caption == "Officials at the border, Varsk, 3 March"
    assert story.credit == "Ana Rivas"
    story.lead_image_caption = "A different caption"
    story.lead_image_credit = "Agency photographer"
    assert story.caption == "A different caption"
    assert story.credit == "Agency photographer"


def test_source_defaults_to_the_site(newsroom, settings):
    settings.WAGTAIL_SITE_NAME = "The Test Ledger"
    story = newsroom.stories[0]
    assert story.source_label == "The Test Ledger"
    story.source_name = "Sarvan Press Agency"
    assert story.source_label == "Sarvan Press Agency"


def test_source_link_needs_an_outlet_name(newsroom):
    story = newsroom.stories[0]
    story.source_url = "https://agency.example/story"
    story.source_name = ""
    with pytest.raises(ValidationError, match="Name the outlet"):
        story.full_clean()


def test_modified_time_follows_the_latest_correction(newsroom):
    story = newsroom.stories[0]
    later = story.first_published_at.replace(year=story.first_published_at.year + 1)
    Correction.objects.create(
        page=story, published_at=later, text="An earlier version misspelt a name."
    )
    assert story.modified_at == later


class TestPageTypes(WagtailPageTestCase):
    @classmethod
    def setUpTestData(cls):
        from wagtail.models import Page, Site

        from masthead.sections.factories import HomePageFactory, SectionPageFactory

        cls.home = HomePageFactory(parent=Page.get_first_root_node(), slug="front-x")
        Site.objects.filter(is_default_site=True).update(root_page=cls.home)
        cls.section = SectionPageFactory(parent=cls.home, slug="news-x")
        cls.story = ArticlePageFactory(parent=cls.section, slug="story-x")

    def test_every_page_type_renders_and_previews(self):
        from .form_data import article_form_data

        for page in (self.home, self.section, self.story):
            self.assertPageIsRenderable(page)
        self.assertPageIsPreviewable(
            self.home,
            post_data=nested_form_data(
                {
                    "title": self.home.title,
                    "slug": self.home.slug,
                    "intro": "",
                    "lead_story_count": 6,
                    "front": streamfield([("latest", {"heading": "", "count": 3})]),
                }
            ),
        )
        self.assertPageIsPreviewable(
            self.section,
            post_data=nested_form_data(
                {
                    "title": self.section.title,
                    "slug": self.section.slug,
                    "description": "",
                    "front": streamfield([("latest", {"heading": "", "count": 3})]),
                }
            ),
        )
        self.assertPageIsPreviewable(
            self.story,
            post_data=article_form_data(
                self.story.title,
                self.story.slug,
                self.story.standfirst,
                paragraphs=["Preview body."],
            ),
        )

    def test_stories_live_only_in_sections(self):
        self.assertAllowedParentPageTypes(ArticlePage, {SectionPage})
        self.assertAllowedSubpageTypes(ArticlePage, set())

    def test_sections_live_only_under_the_home_page(self):
        self.assertAllowedParentPageTypes(SectionPage, {HomePage})
        from masthead.live.models import LivePage

        self.assertAllowedSubpageTypes(SectionPage, {ArticlePage, InformationPage, LivePage})


def test_article_page_has_the_reference_structure(client, newsroom):
    story = newsroom.stories[0]
    Correction.objects.create(page=story, text="An earlier version gave the wrong day.")
    html = client.get(story.url).content.decode()
    assert html.count("<h1") == 1
    assert re.search(r"<h1>\s*Story number 0 about the border\s*</h1>", html)
    assert 'class="standfirst"' in html
    assert "<article" in html and "<main" in html and "<header" in html and "<footer" in html
    assert re.search(
        r"<figure class=\"story__lead\">.*?<figcaption>.*Officials at the border.*Ana Rivas",
        html,
        re.S,
    )
    assert re.search(r'<time datetime="\d{4}-\d\d-\d\dT', html)
    assert "Source:" in html
    assert 'href="/authors/mira-castellan/"' in html
    assert "An earlier version gave the wrong day." in html
    for heading in ("Related articles", "Editor's choice", "Popular"):
        assert re.search(rf"<h2[^>]*>{heading}</h2>", html), heading


def test_no_story_appears_twice_on_an_article_page(client, newsroom):
    for story in newsroom.stories:
        html = client.get(story.url).content.decode()
        links = re.findall(r'<h3 class="card__headline"><a href="([^"]+)"', html)
        assert links, "the discovery blocks show teasers"
        assert len(links) == len(set(links)), links
        assert story.url not in links


def test_teaser_shows_badge_section_headline_excerpt_and_thumbnail(client, newsroom):
    html = client.get("/").content.decode()
    flagged = newsroom.stories[0]
    card = re.search(
        r'<article class="card">(?:(?!</article>).)*' + re.escape(flagged.title) + r".*?</article>",
        html,
        re.S,
    ).group(0)
    assert "<picture>" in card or "<img" in card
    assert "Editor's choice" in card
    assert 'class="section-label"' in card
    assert flagged.standfirst in card


def test_embed_block_renders_a_stored_embed(client, newsroom):
    from wagtail.embeds.embeds import get_embed_hash
    from wagtail.embeds.models import Embed

    url = "https://video.example/watch/42"
    Embed.objects.create(
        url=url,
        hash=get_embed_hash(url),
        max_width=None,
        type="video",
        html='<iframe title="Harbour video" src="https://video.example/embed/42"></iframe>',
        thumbnail_url="",
        provider_name="Example",
    )
    story = newsroom.publish(
        slug="with-embed", body=[("embed", {"embed": url, "caption": "The harbour at dawn"})]
    )
    html = client.get(story.url).content.decode()
    assert "Harbour video" in html
    assert "The harbour at dawn" in html


def test_inline_figure_always_shows_a_credit(client, newsroom):
    story = newsroom.publish(
        slug="with-figure",
        body=[("image", {"image": newsroom.image, "caption": "", "credit": ""})],
    )
    html = client.get(story.url).content.decode()
    assert re.search(
        r'class="inline-figure".*?Officials at the border.*?Photo: Ana Rivas', html, re.S
    )


def test_factory_story_is_renderable(newsroom, client):
    story = ArticlePageFactory(parent=newsroom.news, slug="plain")
    assert client.get(story.url).status_code == 200
