"""An editor writes a story in Wagtail's admin, publishes it, then unpublishes it.

The story gets a lead picture uploaded through the chooser (with its caption and
credit), a byline, a topic, a source and a body paragraph with a repeated word, which
the editorial findings panel must point out. A reader (a separate browser context with
no login) checks every public surface three times: while the story is a draft (it must
not be anywhere, and the page cache is warmed), once it is published (it must be
everywhere: the cache was purged), and once it is unpublished (gone again).
"""

import io
import re

import pytest
from PIL import Image as PILImage
from playwright.sync_api import expect

from .admin import publish, save_draft
from .conftest import DESKTOP

pytestmark = [pytest.mark.browser, pytest.mark.slow]

HEADLINE = "Quillmoor harbour pilots agree a night schedule for ferries"
STANDFIRST = "Ferries can run after dark from next month if the trial passes its safety review."
BODY = "Pilots said on Monday that the the ferries would keep to the marked channel."
CAPTION = "The night ferry at the Quillmoor pier, 2 March"
CREDIT = "Lena Brask / Meridian Ledger"
SOURCE = "Quillmoor Harbour Office"
AUTHOR = "Mira Castellan"
TOPIC, TOPIC_SLUG = "Marevia", "marevia"


def _picture(path) -> None:
    buffer = io.BytesIO()
    picture = PILImage.new("RGB", (1200, 675), (24, 70, 110))
    for x in range(0, 1200, 40):  # a few stripes: a picture, not a flat colour
        picture.paste((230, 200, 120), (x, 400, x + 20, 440))
    picture.save(buffer, "JPEG", quality=85)
    path.write_bytes(buffer.getvalue())


def _surfaces(slug: str) -> dict[str, str]:
    return {
        "home": "/",
        "section": "/news/",
        "topic": f"/topics/{TOPIC_SLUG}/",
        "search": "/search/?q=Quillmoor",
        "rss": "/feeds/rss/",
        "atom": "/feeds/atom/",
        "json feed": "/feeds/json/",
        "section feed": "/feeds/section/news/rss/",
        "topic feed": f"/feeds/topic/{TOPIC_SLUG}/atom/",
        "stories sitemap": "/sitemap-stories.xml",
        "news sitemap": "/news-sitemap.xml",
    }


def _where_the_story_is(reader, base: str, slug: str) -> dict[str, bool]:
    """Return, for each public surface, whether it links to the story."""
    marker = f"/news/{slug}/"
    found = {}
    for name, path in _surfaces(slug).items():
        response = reader.request.get(base + path)
        assert response.status in (200, 404), (name, response.status)
        found[name] = response.status == 200 and marker in response.text()
    sitemap_index = reader.request.get(base + "/sitemap.xml").text()
    found["sitemap index names the stories sitemap"] = "sitemap-stories.xml" in sitemap_index
    return found


def _choose(page, button: str, name: str) -> None:
    page.get_by_role("button", name=button).click()
    modal = page.locator(".modal-dialog")
    # The list shows once the chooser's script has run; typing earlier is lost.
    expect(modal.locator(".listing a, table a").first).to_be_visible()
    modal.locator("input[name=q]").fill(name)
    modal.get_by_role("link", name=name, exact=True).click()
    expect(modal).to_have_count(0)


def test_editor_writes_publishes_and_unpublishes_a_story(
    newsroom_site, browser, artifacts, tmp_path
):
    base = newsroom_site["base_url"]
    folder = artifacts / "editor"
    folder.mkdir(parents=True, exist_ok=True)
    editor = browser.new_context(viewport=DESKTOP)
    reader = browser.new_context(viewport=DESKTOP)
    page = editor.new_page()

    # Log in
    page.goto(base + "/admin/")
    expect(page).to_have_url(re.compile(r"/admin/login/"))
    page.fill("#id_username", newsroom_site["editor"]["username"])
    page.fill("#id_password", newsroom_site["editor"]["password"])
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(base + "/admin/")

    # Write the story
    page.goto(f"{base}/admin/pages/add/articles/articlepage/{newsroom_site['sections']['news']}/")
    page.fill("#id_title", HEADLINE)
    page.press("#id_title", "Tab")
    expect(page.locator("#id_slug")).not_to_have_value("")
    page.fill("#id_standfirst", STANDFIRST)

    picture = tmp_path / "night-ferry.jpg"
    _picture(picture)
    page.get_by_role("button", name="Choose an image").click()
    modal = page.locator(".modal-dialog")
    modal.get_by_role("tab", name="Upload").click()
    page.set_input_files("#id_image-chooser-upload-file", picture)
    page.fill("#id_image-chooser-upload-title", "Night ferry at the Quillmoor pier")
    page.fill("#id_image-chooser-upload-description", "A ferry moored at a lit pier at night")
    page.fill("#id_image-chooser-upload-caption", "A ferry at the pier")
    page.fill("#id_image-chooser-upload-credit", "Lena Brask")
    modal.locator("button[type=submit]").last.click()
    expect(modal).to_have_count(0)
    expect(page.locator("#id_lead_image")).not_to_have_value("")
    page.fill("#id_lead_image_caption", CAPTION)
    page.fill("#id_lead_image_credit", CREDIT)

    page.locator("[data-contentpath=body] button.c-sf-add-button").first.click()
    page.get_by_role("option", name="Paragraph").first.click()
    page.locator("[data-contentpath=body] .public-DraftEditor-content").first.click()
    page.keyboard.type(BODY)
    # Draftail writes the form field a moment after the last key (its save interval).
    expect(page.locator("input[name='body-0-value']")).to_have_value(
        re.compile(re.escape(BODY[:20]))
    )

    page.click("#id_article_authors-ADD")
    _choose(page, "Choose author", AUTHOR)
    page.click("#id_article_topics-ADD")
    _choose(page, "Choose topic", TOPIC)
    page.fill("#id_source_name", SOURCE)

    # Save a draft: the findings panel names the repeated word
    save_draft(page)
    page_id = re.search(r"/pages/(\d+)/edit/", page.url).group(1)
    findings = page.locator(".editorial-findings")
    expect(findings).to_contain_text("“the” is repeated.")
    expect(findings).to_contain_text("Suggested: the")
    findings.scroll_into_view_if_needed()
    page.screenshot(path=folder / "01-findings-panel.png")
    slug = page.input_value("#id_slug")

    # A draft is nowhere (and every surface is now in the page cache)
    before = _where_the_story_is(reader, base, slug)
    assert before.pop("sitemap index names the stories sitemap")
    assert not any(before.values()), before
    assert reader.request.get(f"{base}/news/{slug}/").status == 404

    # Publish
    publish(page)
    expect(page.locator(".messages")).to_contain_text("has been published")
    page.screenshot(path=folder / "02-published.png")

    published = _where_the_story_is(reader, base, slug)
    assert all(published.values()), published
    story = reader.new_page()
    story.goto(f"{base}/news/{slug}/")
    expect(story.locator("h1")).to_have_text(HEADLINE)
    expect(story.locator(".standfirst")).to_have_text(STANDFIRST)
    expect(story.locator(".story__lead .caption")).to_have_text(CAPTION)
    expect(story.locator(".story__lead .credit")).to_have_text(f"Photo: {CREDIT}")
    expect(story.locator(".story__source")).to_have_text(f"Source: {SOURCE}")
    expect(story.locator(".byline")).to_contain_text(AUTHOR)
    expect(story.locator(".story__topics")).to_contain_text(TOPIC)
    lead = story.locator(".story__lead img")
    assert lead.evaluate("img => img.complete && img.naturalWidth") > 0
    assert lead.get_attribute("alt") == "A ferry moored at a lit pier at night"
    story.screenshot(path=folder / "03-story.png", full_page=True)

    # Unpublish
    page.goto(f"{base}/admin/pages/{page_id}/unpublish/")
    with page.expect_navigation():
        page.get_by_role("button", name=re.compile("Yes, unpublish")).click()
    expect(page.locator(".messages")).to_contain_text("unpublished")
    page.screenshot(path=folder / "04-unpublished.png")

    after = _where_the_story_is(reader, base, slug)
    assert after.pop("sitemap index names the stories sitemap")
    assert not any(after.values()), after
    assert reader.request.get(f"{base}/news/{slug}/").status == 404
    editor.close()
    reader.close()
