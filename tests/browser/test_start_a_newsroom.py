"""A newsroom makes the site its own in the admin: identity, a policy page, the front.

An editor sets the tagline and footer under Settings > Site identity, writes an ethics
policy as an information page, and arranges the front page from blocks; a reader sees
each on a phone and a desktop, and axe finds no serious problem on the new pages.
Screenshots go to ``test-artifacts/browser/newsroom/``; docs/screenshots/newsroom/
holds copies for docs/newsroom.md. The arrangement is removed at the end, so later
tests see the automatic front.
"""

import contextlib
import json
import re
import subprocess

import pytest
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import expect

from .admin import form_errors, publish
from .conftest import DESKTOP, PHONE

pytestmark = [pytest.mark.browser, pytest.mark.slow]

TAGLINE = "Independent reporting from around the Sarvan Sea"
FOOTER = "Reader-funded since 2019. Write to the desk any time."
POLICY_TITLE = "Ethics policy"
POLICY_TEXT = "We name our sources unless naming them would put someone in danger."


def _signed_in_editor(browser, site: dict):
    """Return a desktop browser context and a page signed in to the admin as the editor."""
    context = browser.new_context(viewport=DESKTOP)
    page = context.new_page()
    page.goto(site["base_url"] + "/admin/login/")
    page.fill("#id_username", site["editor"]["username"])
    page.fill("#id_password", site["editor"]["password"])
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(site["base_url"] + "/admin/")
    return context, page


def _add_block(page, field: str, label: str) -> None:
    page.locator(f"[data-contentpath={field}] button.c-sf-add-button").last.click()
    page.get_by_role("option", name=label).first.click()


def _axe(context_page, axe_source: str, url: str) -> list[str]:
    context_page.goto(url)
    context_page.add_script_tag(content=axe_source)
    result = context_page.evaluate("async () => await axe.run(document)")
    return [v["id"] for v in result["violations"] if v["impact"] in ("serious", "critical")]


def _nu_errors(context, vnu_command, folder, base: str, paths: dict[str, str]) -> dict:
    """Return the Nu HTML Checker's errors on each page, by name (empty when valid)."""
    files = {}
    for name, path in paths.items():
        response = context.request.get(base + path)
        assert response.status == 200, path
        files[name] = folder / f"{name}.html"
        files[name].write_bytes(response.body())
    run = subprocess.run(
        [*vnu_command, *map(str, files.values())], capture_output=True, text=True, timeout=300
    )
    messages = json.loads(run.stdout or run.stderr or '{"messages": []}')["messages"]
    by_name = {name: [] for name in files}
    for message in messages:
        if message.get("type") != "error":
            continue
        name = message.get("url", "").rsplit("/", 1)[-1].removesuffix(".html")
        by_name.setdefault(name, []).append(
            f"line {message.get('lastLine')}: {message.get('message')}"
        )
    return {name: errors for name, errors in by_name.items() if errors}


def test_editor_makes_the_site_the_newsroom_s_own(
    newsroom_site, browser, artifacts, axe_source, vnu_command
):
    base = newsroom_site["base_url"]
    home_id = newsroom_site["home"]
    folder = artifacts / "newsroom"
    folder.mkdir(parents=True, exist_ok=True)
    editor, page = _signed_in_editor(browser, newsroom_site)

    # Identity
    page.goto(base + "/admin/settings/navigation/siteidentity/")
    page.fill("#id_tagline", TAGLINE)
    page.fill("#id_footer_text", FOOTER)
    page.fill("#id_contact_email", "desk@meridian.example")
    page.screenshot(path=folder / "01-site-identity.png", full_page=True)
    with page.expect_navigation():
        page.get_by_role("button", name="Save").click()
    expect(page.locator(".messages")).to_contain_text("updated")

    # A policy page under the home page
    page.goto(f"{base}/admin/pages/add/pages/informationpage/{home_id}/")
    page.fill("#id_title", POLICY_TITLE)
    page.press("#id_title", "Tab")
    expect(page.locator("#id_slug")).not_to_have_value("")
    page.select_option("#id_kind", "ethics")
    page.fill("#id_standfirst", "How we report, and what we will not do.")
    _add_block(page, "body", "Paragraph")
    page.locator("[data-contentpath=body] .public-DraftEditor-content").first.click()
    page.keyboard.type(POLICY_TEXT)
    # Draftail writes the form field a moment after the last key (its save interval):
    # an editor's publish click comes later than a script's.
    expect(page.locator("input[name='body-0-value']")).to_have_value(
        re.compile("We name our sources")
    )
    page.screenshot(path=folder / "02-information-page-editor.png", full_page=True)
    publish(page)
    slug = "ethics-policy"

    # The front, arranged: the newest story as lead, then the latest, then Editor's choice
    page.goto(f"{base}/admin/pages/{home_id}/edit/")
    _add_block(page, "front", "Lead story")
    _add_block(page, "front", "Latest stories")
    _add_block(page, "front", "Editor's choice")
    page.locator("[data-contentpath=front]").scroll_into_view_if_needed()
    page.screenshot(path=folder / "03-front-editor.png", full_page=True)
    publish(page)

    reader = browser.new_context(viewport=DESKTOP, bypass_csp=True)
    view = reader.new_page()
    marked = None
    try:
        view.goto(base + "/")
        view.screenshot(path=folder / "04-front-desktop.png", full_page=True)
        expect(view.locator(".front-lead .card__headline")).to_have_count(1)
        expect(view.locator(".site-tagline")).to_have_text(TAGLINE)
        footer = view.locator(".site-footer")
        expect(footer).to_contain_text(FOOTER)
        expect(footer.get_by_role("link", name=POLICY_TITLE)).to_have_attribute("href", f"/{slug}/")
        headlines = view.locator(".card__headline a").evaluate_all("els => els.map(e => e.href)")
        assert len(headlines) == len(set(headlines)), "a story shows twice on the front"
        publisher = next(
            item["publisher"]
            for item in (
                json.loads(s)
                for s in view.locator("script[type='application/ld+json']").all_text_contents()
            )
            if item.get("@type") == "WebSite"
        )
        assert publisher["ethicsPolicy"] == f"{base}/{slug}/"
        view.goto(f"{base}/{slug}/")
        expect(view.locator("h1")).to_have_text(POLICY_TITLE)
        expect(view.locator(".story__body")).to_contain_text(POLICY_TEXT)
        view.screenshot(path=folder / "05-policy-desktop.png", full_page=True)
        view.goto(base + "/corrections/")
        expect(view.locator("h1")).to_have_text("Corrections")
        view.screenshot(path=folder / "06-corrections-desktop.png", full_page=True)
        phone = browser.new_context(viewport=PHONE, bypass_csp=True).new_page()
        for name, path in (
            ("front", "/"),
            ("policy", f"/{slug}/"),
            ("corrections", "/corrections/"),
        ):
            phone.goto(base + path)
            phone.screenshot(path=folder / f"07-{name}-phone.png", full_page=True)
            width = phone.evaluate("document.documentElement.scrollWidth")
            assert width <= PHONE["width"], f"{path} scrolls sideways on a phone ({width}px)"
        problems = {
            path: _axe(view, axe_source, base + path)
            for path in ("/", f"/{slug}/", "/corrections/")
        }
        assert not any(problems.values()), problems
        # The Nu HTML Checker on the edited front and the new page kinds, as served.
        invalid = _nu_errors(
            reader,
            vnu_command,
            folder,
            base,
            {"edited-front": "/", "policy": f"/{slug}/", "corrections": "/corrections/"},
        )
        assert not invalid, invalid
    finally:
        # Later tests expect the automatic front: mark every block deleted, as the
        # editor's own delete buttons do, and publish.
        page.goto(f"{base}/admin/pages/{home_id}/edit/")
        marked = page.evaluate(
            """() => {
                const inputs = document.querySelectorAll('input[name^="front-"][name$="-deleted"]');
                inputs.forEach((input) => { input.value = "1"; });
                return inputs.length;
            }"""
        )
        publish(page)
        reader.close()
        editor.close()
    assert marked == 3, marked


def test_a_save_clicked_while_the_first_autosave_is_on_its_way_makes_one_page(
    newsroom_site, browser
):
    # The first autosave of a new page creates it, and only its answer points the form
    # at the page's edit view. A click in between went to the create view again: "The
    # page could not be created due to validation errors" (its slug was taken by the
    # autosaved draft). Here the autosave's answer is held until after the click.
    base = newsroom_site["base_url"]
    add_url = f"{base}/admin/pages/add/pages/informationpage/{newsroom_site['home']}/"
    title = "Desk hours during the holidays"
    context, page = _signed_in_editor(browser, newsroom_site)

    held = []
    seen = []

    def hold_autosave_answer(route):
        seen.append(route.request.headers.get("accept", ""))
        if "application/json" not in seen[-1]:
            route.continue_()
            return
        held.append((route, route.fetch()))  # the server has made the page by now

    page.route(add_url, hold_autosave_answer)
    # Wagtail watches the form for edits from 2 s after it loads.
    page.add_init_script(
        """
        document.addEventListener("w-unsaved:watch-edits", () => { window.__mhWatching = 1; });
        document.addEventListener("w-autosave:save", () => { window.__mhSaves = (window.__mhSaves || 0) + 1; });
        """
    )
    page.goto(add_url)
    page.wait_for_function("() => window.__mhWatching === 1")
    page.fill("#id_title", title)
    page.press("#id_title", "Tab")
    for _ in range(600):
        if held:
            break
        page.wait_for_timeout(100)
    saves = page.evaluate("() => window.__mhSaves || 0")
    assert held, f"no autosave answered in 60 s: {saves} started, POSTs seen {seen}"
    page.get_by_role("button", name="Save draft").click()
    page.wait_for_timeout(500)  # the click's submit has gone, or is being held
    route, answer = held.pop()
    # Fails when the page has already gone to the create view a second time.
    with contextlib.suppress(PlaywrightError):
        route.fulfill(response=answer)
    messages = page.locator(".messages")
    expect(messages).to_contain_text(re.compile(f"{title}|could not"))
    assert not form_errors(page), form_errors(page)
    expect(messages).to_contain_text(title)
    expect(page).to_have_url(re.compile(r"/admin/pages/\d+/edit/$"))
    page_id = re.search(r"/pages/(\d+)/edit/", page.url).group(1)
    search = context.request.get(f"{base}/admin/pages/search/", params={"q": title})
    assert search.ok
    assert search.text().count(f"/admin/pages/{page_id}/edit/") >= 1
    assert len(set(re.findall(r"/admin/pages/(\d+)/edit/", search.text()))) == 1, "two pages"
    context.close()
