"""Pages that are not stories, the corrections page and feed, and what machines are told."""

import datetime as dt

import pytest
from django.test import override_settings
from django.utils import timezone
from wagtail.models import PageViewRestriction

from masthead.articles.factories import ArticlePageFactory
from masthead.articles.models import Correction
from masthead.pages.models import InformationPage
from masthead.syndication.tests.validators import json_ld, locations, parse_feed, parse_sitemap

pytestmark = pytest.mark.django_db


def _page(parent, title, kind, slug=None, **fields) -> InformationPage:
    page = InformationPage(title=title, slug=slug or kind, kind=kind, **fields)
    parent.add_child(instance=page)
    page.save_revision().publish()
    return page


def _publisher(html: bytes) -> dict:
    return next(d for d in json_ld(html) if d["@type"] == "WebSite")["publisher"]


def test_an_information_page_renders_with_its_body_and_canonical_address(client, newsroom):
    about = _page(
        newsroom.home,
        "About us",
        "about",
        standfirst="A newsroom of six on the Sarvan coast.",
        body=[("heading", "Who we are"), ("paragraph", "<p>Founded in 2019.</p>")],
    )
    response = client.get("/about/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "<h1>About us</h1>" in html and "Founded in 2019." in html and "Who we are" in html
    assert '<link rel="canonical" href="http://testserver/about/">' in html
    assert about.url == "/about/"


def test_policy_pages_are_linked_from_the_footer_and_named_in_json_ld(client, newsroom):
    _page(newsroom.home, "Ethics policy", "ethics")
    _page(newsroom.home, "Corrections policy", "corrections", slug="corrections-policy")
    _page(newsroom.home, "Ownership and funding", "ownership")
    hidden = _page(newsroom.home, "Diversity (draft)", "diversity")
    hidden.unpublish()
    html = client.get("/").content
    footer = html.decode().split('class="site-footer"')[1]
    assert 'href="/ethics/">Ethics policy' in footer
    assert 'href="/ownership/">Ownership and funding' in footer
    assert 'href="/corrections/">Corrections' in footer
    assert "Diversity" not in footer
    publisher = _publisher(html)
    assert publisher["ethicsPolicy"] == publisher["publishingPrinciples"]
    assert publisher["ethicsPolicy"] == "http://testserver/ethics/"
    assert publisher["correctionsPolicy"] == "http://testserver/corrections-policy/"
    assert publisher["ownershipFundingInfo"] == "http://testserver/ownership/"
    assert "diversityPolicy" not in publisher
    story = newsroom.stories[0]
    article = next(d for d in json_ld(client.get(story.url).content) if d["@type"] == "NewsArticle")
    assert article["publisher"]["correctionsPolicy"] == "http://testserver/corrections-policy/"


def test_a_private_policy_page_is_not_named(client, newsroom):
    page = _page(newsroom.home, "Ethics policy", "ethics")
    PageViewRestriction.objects.create(page=page, restriction_type="login")
    html = client.get("/").content
    assert "ethicsPolicy" not in _publisher(html)
    assert 'href="/ethics/"' not in html.decode()


def test_information_pages_are_in_the_sitemap_and_never_in_story_feeds(client, newsroom):
    _page(newsroom.news, "How we cover the border", "other", slug="how-we-cover")
    pages = parse_sitemap(client.get("/sitemap-pages.xml").content)
    assert "http://testserver/news/how-we-cover/" in locations(pages)
    for url in ("/feeds/rss/", "/feeds/section/news/rss/"):
        assert b"How we cover" not in client.get(url).content
    assert b"How we cover" not in client.get("/news/").content.split(b"site-footer")[0]


def test_an_information_page_can_live_under_the_home_page_or_a_section(newsroom):
    assert InformationPage.can_create_at(newsroom.home)
    assert InformationPage.can_create_at(newsroom.news)
    assert not InformationPage.can_create_at(newsroom.stories[0])


def _correct(story, text: str, days_ago: float) -> Correction:
    return Correction.objects.create(
        page=story, text=text, published_at=timezone.now() - dt.timedelta(days=days_ago)
    )


def test_corrections_page_lists_published_corrections_newest_first(client, newsroom):
    _correct(newsroom.stories[3], "An earlier version gave the wrong date.", 2)
    _correct(newsroom.stories[1], "The minister's name was misspelt.", 1)
    draft = ArticlePageFactory(parent=newsroom.news, live=False, title="Unfinished draft")
    _correct(draft, "A correction on a draft nobody can read.", 0.5)
    private = newsroom.publish(title="Members only")
    PageViewRestriction.objects.create(page=private, restriction_type="login")
    _correct(private, "A correction on a private story.", 0.5)

    response = client.get("/corrections/")
    html = response.content.decode()
    assert response.status_code == 200
    assert html.index("misspelt") < html.index("wrong date")
    assert f'href="{newsroom.stories[1].url}"' in html
    assert "nobody can read" not in html and "private story" not in html
    assert '<link rel="canonical" href="http://testserver/corrections/">' in html

    feed = parse_feed(client.get("/corrections/feed/").content)
    assert [e.description for e in feed.entries] == [
        "The minister's name was misspelt.",
        "An earlier version gave the wrong date.",
    ]
    assert feed.entries[0].link == f"http://testserver{newsroom.stories[1].url}"


def test_corrections_page_with_none_and_a_page_past_the_end(client, newsroom):
    html = client.get("/corrections/?page=99").content.decode()
    assert "No correction has been published yet." in html
    assert client.get("/corrections/?page=<script>").status_code == 200


@override_settings(MASTHEAD_PAGE_CACHE=True)
def test_a_new_correction_reaches_the_cached_corrections_page(client, newsroom):
    assert b"misspelt" not in client.get("/corrections/").content
    assert client.get("/corrections/")["X-Cache"] == "HIT"
    story = newsroom.stories[0]
    story.corrections.add(Correction(text="The harbour's name was misspelt."))
    story.save_revision().publish()
    assert b"misspelt" in client.get("/corrections/").content


def _results(client, query: str) -> tuple[str, str]:
    """Return the story part and the pages part of the search page for ``query``."""
    html = client.get("/search/", {"q": query}).content.decode()
    html = html.split('<main id="main"')[1].split("</main>")[0]
    stories, _, pages = html.partition('class="search-pages"')
    return stories, pages


def test_information_pages_are_found_by_search_after_the_stories(client, newsroom):
    _page(
        newsroom.home,
        "Ethics policy",
        "ethics",
        standfirst="How we report on the border, and what we will not do.",
        body=[("paragraph", "<p>We never pay sources for interviews.</p>")],
    )
    private = _page(
        newsroom.home,
        "Sources handbook",
        "other",
        slug="handbook",
        body=[("paragraph", "<p>Paying sources is forbidden.</p>")],
    )
    PageViewRestriction.objects.create(page=private, restriction_type="login")
    draft = _page(newsroom.home, "Draft: paying sources", "other", slug="draft-sources")
    draft.unpublish()

    # Words of the body, stemmed as stories' are ("paying" finds "pay").
    stories, pages = _results(client, "paying sources")
    assert 'href="/ethics/">Ethics policy</a>' in pages
    assert "<mark>pay</mark>" in pages and "<mark>sources</mark>" in pages
    assert "Sources handbook" not in pages and "Draft: paying" not in pages
    assert "No published stories match your search." in stories

    # A word both stories and the page use: the stories first, the page after them.
    stories, pages = _results(client, "border")
    assert stories.count('class="search-result"') == len(newsroom.stories)
    assert 'href="/ethics/"' not in stories and 'href="/ethics/"' in pages
    # Matched in the standfirst only: the standfirst is highlighted once, no snippet.
    assert pages.count("How we report") == 1 and "<mark>border,</mark>" in pages

    # Filters narrow stories by section, topic, author or date: pages have none of them.
    html = client.get("/search/", {"q": "border", "section": "news"}).content.decode()
    assert "search-pages" not in html
    # Never on a later page of stories either.
    assert "search-pages" not in client.get("/search/", {"q": "border", "page": 2}).content.decode()


def test_a_standfirst_match_is_not_printed_twice_in_search_results(client, newsroom):
    story = newsroom.publish(
        title="Harbour tolls", standfirst="The Quillon ferry pays more from Monday.", body=[]
    )
    stories, _ = _results(client, "quillon")
    assert f'href="{story.url}"' in stories
    assert stories.count("ferry pays more") == 1
    assert "<mark>Quillon</mark>" in stories
