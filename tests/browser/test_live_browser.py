"""A reader on a phone follows a live page while an editor publishes three entries.

The reader's page (JavaScript on) must show the three entries, newest first, without
moving what the reader is reading (the first entry in view keeps its place on screen)
and without taking focus; the polite status line announces them. The editor then
corrects one of them and deletes another: the open page shows the correction and drops
the deleted entry the same way, still without moving the reader. A second reader with
JavaScript off sees them after following "Check for new entries". axe and the Nu HTML
Checker audit the live page and a running story's timeline.
"""

import json
import re
import subprocess

import pytest
from playwright.sync_api import expect

from .conftest import DESKTOP, PHONE

pytestmark = [pytest.mark.browser, pytest.mark.slow]

ENTRIES = [
    "Ballot boxes from the harbour district have arrived at the count.",
    "The union says the vote to end the strike passed by a narrow margin.",
    "Port managers will meet the union again at nine tomorrow morning.",
]


def _sign_in(page, site) -> None:
    page.goto(site["base_url"] + "/admin/login/")
    page.fill("#id_username", site["editor"]["username"])
    page.fill("#id_password", site["editor"]["password"])
    page.get_by_role("button", name="Sign in").click()
    expect(page).not_to_have_url(re.compile(r"/admin/login/"))


def _publish_entry(page, site, text: str) -> None:
    page.goto(f"{site['base_url']}/admin/live_entries/new/?page={site['live_page']['id']}")
    editor = page.locator("[data-contentpath=body] .public-DraftEditor-content").first
    expect(editor).to_be_visible()
    page.wait_for_load_state("networkidle")
    editor.click()
    page.keyboard.type(text)
    expect(editor).to_contain_text(text)
    # Draftail copies its content to the form field on a short delay: let it.
    page.fill("#id_headline", "")
    page.wait_for_timeout(500)
    page.get_by_role("button", name="Create").click()
    expect(page.locator(".messages")).to_contain_text("Live entry")
    expect(page.locator(".messages")).not_to_contain_text("could not")


def _correct_entry(page, site, entry_id: str, correction: str) -> None:
    page.goto(f"{site['base_url']}/admin/live_entries/edit/{entry_id}/")
    page.fill("#id_correction", correction)
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".messages")).to_contain_text("Live entry")
    expect(page.locator(".messages")).not_to_contain_text("could not")


def _delete_entry(page, site, entry_id: str) -> None:
    page.goto(f"{site['base_url']}/admin/live_entries/delete/{entry_id}/")
    page.get_by_role("button", name="Yes, delete").click()
    expect(page.locator(".messages")).to_contain_text("deleted")


def _top(page, element_id: str) -> float:
    return page.evaluate(
        f"() => document.getElementById('{element_id}').getBoundingClientRect().top"
    )


def _entry_texts(page) -> list[str]:
    return page.locator(".live__entries .entry .entry__body").all_inner_texts()


def test_phone_reader_sees_three_entries_arrive_in_order(newsroom_site, browser, artifacts):
    site = newsroom_site
    url = site["base_url"] + site["live_page"]["url"]
    reader_context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    reader = reader_context.new_page()
    reader.goto(url)
    before = reader.locator(".live__entries .entry").count()
    assert before >= 12
    # The reader is half-way down, reading an entry, with a link in it focused.
    target = reader.locator(".live__entries .entry").nth(6)
    target.scroll_into_view_if_needed()
    reader.mouse.wheel(0, 120)
    reader.wait_for_timeout(300)
    target_id = target.get_attribute("id")
    reader.locator(f"#{target_id} .entry__time").focus()
    top_before = reader.evaluate(
        f"() => document.getElementById('{target_id}').getBoundingClientRect().top"
    )

    no_js_context = browser.new_context(viewport=PHONE, java_script_enabled=False)
    no_js = no_js_context.new_page()
    no_js.goto(url)
    assert no_js.locator(".live__entries .entry").count() == before

    editor_context = browser.new_context()
    editor = editor_context.new_page()
    _sign_in(editor, site)
    for number, text in enumerate(ENTRIES, 1):
        _publish_entry(editor, site, text)
        expect(reader.locator(".live__entries .entry")).to_have_count(
            before + number, timeout=30_000
        )
    reader.screenshot(path=str(artifacts / "live-phone-after-entries.png"))

    assert _entry_texts(reader)[:3] == list(reversed(ENTRIES))
    top_after = reader.evaluate(
        f"() => document.getElementById('{target_id}').getBoundingClientRect().top"
    )
    assert abs(top_after - top_before) <= 2, (top_before, top_after)
    focused = reader.evaluate("() => document.activeElement.closest('.entry')?.id")
    assert focused == target_id
    expect(reader.locator(".live__announce")).to_have_text(re.compile(r"new entr"))

    # The editor corrects the second of them and deletes the newest: the open page
    # shows both without a reload, the reader's entry stays put and keeps the focus.
    newest, second = (
        reader.locator(".live__entries .entry").nth(n).get_attribute("data-entry-id")
        for n in (0, 1)
    )
    correction = "The margin was 212 votes, not 112."
    _correct_entry(editor, site, second, correction)
    expect(reader.locator(f"#entry-{second} .entry__correction")).to_contain_text(
        correction, timeout=30_000
    )
    expect(reader.locator(".live__announce")).to_have_text(re.compile(r"updated"))
    _delete_entry(editor, site, newest)
    expect(reader.locator(f"#entry-{newest}")).to_have_count(0, timeout=30_000)
    expect(reader.locator(".live__announce")).to_have_text(re.compile(r"removed"))
    assert reader.locator(".live__entries .entry").count() == before + len(ENTRIES) - 1
    assert abs(_top(reader, target_id) - top_before) <= 2
    focused = reader.evaluate("() => document.activeElement.closest('.entry')?.id")
    assert focused == target_id
    reader.screenshot(path=str(artifacts / "live-phone-after-correction.png"))

    # JavaScript off: nothing moves until the reader asks, then the link shows them.
    assert no_js.locator(".live__entries .entry").count() == before
    no_js.get_by_role("link", name="Check for new entries").click()
    assert _entry_texts(no_js)[:2] == list(reversed(ENTRIES))[1:]
    expect(no_js.locator(f"#entry-{second} .entry__correction")).to_contain_text(correction)
    for context in (reader_context, no_js_context, editor_context):
        context.close()


def test_live_and_running_story_pages_pass_axe_and_the_html_checker(
    newsroom_site, browser, axe_source, vnu_command, artifacts, tmp_path
):
    site = newsroom_site
    urls = {"live": site["live_page"]["url"], "running": site["running_story_urls"][0]}
    # Clean means no violation of any impact (minor and moderate included), as the
    # issue asks of these two pages; the other reader pages are held to serious/critical.
    violations, files = {}, []
    for width, viewport in (("phone", PHONE), ("desktop", DESKTOP)):
        context = browser.new_context(viewport=viewport, bypass_csp=True)
        page = context.new_page()
        for name, path in urls.items():
            page.goto(site["base_url"] + path)
            if width == "phone":
                target = tmp_path / f"{name}.html"
                target.write_text(page.request.get(site["base_url"] + path).text())
                files.append(str(target))
            page.add_script_tag(content=axe_source)
            result = page.evaluate("async () => await axe.run(document)")
            found = [
                f"{v['impact']} {v['id']}: {v['help']} ({v['nodes'][0]['target']})"
                for v in result["violations"]
            ]
            if found:
                violations[f"{name} ({width})"] = found
        context.close()
    assert not violations, violations
    run = subprocess.run([*vnu_command, *files], capture_output=True, text=True, timeout=300)
    (artifacts / "vnu-live.json").write_text(run.stdout or "{}")
    messages = json.loads(run.stdout or "{}").get("messages", [])
    assert run.returncode == 0 and not messages, messages[:5]
