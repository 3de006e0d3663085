"""A reader's journey through the newsroom, on a phone and on a desktop.

Home, a story, a story from its Related articles, one of its topics, its author, a
search narrowed by a section filter, and the feed the page links to. Every step is a
click or a form a reader uses; every page is screenshotted under
``test-artifacts/browser/reader/<viewport>/``.
"""

import re

import pytest
from defusedxml import ElementTree as ET
from playwright.sync_api import expect

from .conftest import DESKTOP, PHONE

pytestmark = [pytest.mark.browser, pytest.mark.slow]


class Journey:
    def __init__(self, page, folder):
        self.page = page
        self.folder = folder
        self.step = 0
        folder.mkdir(parents=True, exist_ok=True)

    def shot(self, name: str) -> None:
        self.step += 1
        path = self.folder / f"{self.step:02d}-{name}.png"
        self.page.screenshot(path=path, full_page=True)
        assert path.stat().st_size > 5_000, f"screenshot {path} is empty"

    def check_layout(self) -> None:
        """Nothing sticks out sideways, and every picture in view actually loaded."""
        overflow = self.page.evaluate(
            "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 0, f"{self.page.url} is {overflow}px wider than the screen"
        broken = self.page.evaluate(
            """() => Array.from(document.images)
                 .filter(img => !img.hidden && img.loading !== 'lazy' && img.complete && img.naturalWidth === 0)
                 .map(img => img.currentSrc || img.src)"""
        )
        assert broken == [], broken


@pytest.mark.parametrize("viewport", ["phone", "desktop"])
def test_reader_journey(newsroom_site, browser, artifacts, viewport):
    size = PHONE if viewport == "phone" else DESKTOP
    context = browser.new_context(viewport=size, is_mobile=viewport == "phone")
    page = context.new_page()
    journey = Journey(page, artifacts / "reader" / viewport)
    base = newsroom_site["base_url"]

    # Home
    page.goto(base + "/")
    expect(page.get_by_role("heading", name="Latest stories")).to_be_visible()
    cards = page.locator(".front-top .card__headline a")
    assert cards.count() >= 3
    journey.check_layout()
    journey.shot("home")

    # A story
    headline = cards.first.inner_text().strip()
    cards.first.click()
    expect(page.locator("h1")).to_have_text(headline)
    expect(page.locator(".story__lead .credit")).to_contain_text("Photo:")
    assert page.locator(".story__body p").count() >= 2
    journey.check_layout()
    journey.shot("story")

    # A related story
    related = page.locator(".discovery--related .card__headline a")
    assert related.count() >= 1, "the story shows no related articles"
    related_headline = related.first.inner_text().strip()
    assert related_headline != headline
    related.first.click()
    expect(page.locator("h1")).to_have_text(related_headline)
    story_url = page.url
    journey.check_layout()
    journey.shot("related-story")

    # One of its topics
    topic = page.locator(".story__topics a").first
    topic_name = topic.inner_text().strip()
    topic.click()
    expect(page.locator("h1")).to_have_text(topic_name)
    topic_headlines = page.locator(".story-list .card__headline a").all_inner_texts()
    assert related_headline in [h.strip() for h in topic_headlines]
    journey.check_layout()
    journey.shot("topic")

    # Its author
    page.goto(story_url)
    author = page.locator(".byline a[rel=author]").first
    author_name = author.inner_text().strip()
    author.click()
    expect(page.locator("h1")).to_have_text(author_name)
    assert page.locator(".story-list li").count() >= 1
    journey.check_layout()
    journey.shot("author")

    # Search from the header, then narrow it with the section filter
    word = max(re.findall(r"[A-Za-z]{5,}", related_headline), key=len)
    page.fill("#site-search-q", word)
    page.press("#site-search-q", "Enter")
    expect(page.locator("h1")).to_have_text("Search")
    expect(page.locator(".search-count")).to_be_visible()
    everywhere = page.locator(".search-result").count()
    assert everywhere >= 1
    section = page.locator(".search-result .section-label").first.text_content().strip()
    slug = page.select_option("select[name=section]", label=section)[0]
    page.locator(".search-form button[type=submit]").click()
    expect(page.locator("select[name=section] option:checked")).to_have_text(section)
    labels = page.locator(".search-result .section-label").all_text_contents()
    assert labels and {label.strip() for label in labels} == {section}
    assert len(labels) <= everywhere
    assert f"section={slug}" in page.url
    journey.check_layout()
    journey.shot("search-filtered")

    # The feed the page links to, opened in the browser
    page.goto(story_url)
    feed = page.locator("link[rel=alternate][type='application/rss+xml']").first
    feed_url = feed.get_attribute("href")
    response = page.goto(feed_url if feed_url.startswith("http") else base + feed_url)
    assert response.status == 200
    assert "xml" in response.headers["content-type"]
    items = ET.fromstring(response.body()).findall("./channel/item")
    assert len(items) >= 5
    assert related_headline in [item.findtext("title") for item in items]
    journey.shot("feed")
    context.close()


def test_unpublished_stories_are_nowhere_a_reader_looks(newsroom_site, page):
    """The seeded draft and scheduled story: not on the pages the journey visits."""
    base = newsroom_site["base_url"]
    for slug in (newsroom_site["draft_slug"], newsroom_site["scheduled_slug"]):
        assert page.goto(f"{base}/news/{slug}/").status == 404
        for url in (
            "/",
            "/news/",
            "/feeds/rss/",
            "/sitemap-stories.xml",
            "/search/?q=reservoir+council",
        ):
            body = page.request.get(base + url).text()
            assert f"/{slug}/" not in body, (slug, url)
