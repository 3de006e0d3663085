"""Accessibility (axe-core), keyboard use and HTML validity (Nu HTML Checker) of the reader pages.

Figures go to ``test-artifacts/browser/axe-report.json`` and ``vnu-report.json``.
"""

import json
import subprocess
from urllib.parse import urlparse

import pytest

from .conftest import DESKTOP, PHONE

pytestmark = [pytest.mark.browser, pytest.mark.slow]

FOCUSABLE = (
    "a[href], button:not([disabled]), input:not([type=hidden]):not([disabled]), "
    "select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex='-1'])"
)


@pytest.fixture(scope="module")
def reader_pages(newsroom_site, browser) -> dict[str, str]:
    """Return the URLs of one page of each kind, found by following the site's links."""
    base = newsroom_site["base_url"]
    context = browser.new_context()
    page = context.new_page()
    page.goto(base + "/")
    story = page.locator(".front-top .card__headline a").first.get_attribute("href")
    page.goto(base + story)
    topic = page.locator(".story__topics a").first.get_attribute("href")
    author = page.locator(".byline a[rel=author]").first.get_attribute("href")
    context.close()
    return {
        "home": base + "/",
        "section": base + "/news/",
        "story": base + story,
        "topic": base + topic,
        "author": base + author,
        "search": base + "/search/?q=border&section=news",
        # Pages that are not stories (issue #15): an information page, the corrections
        # list, and a search that finds the information page after the stories.
        "information": base + "/about/",
        "corrections": base + "/corrections/",
        "search-pages": base + "/search/?q=newsroom",
    }


@pytest.mark.parametrize("viewport", ["phone", "desktop"])
def test_axe_finds_no_serious_or_critical_violation(
    reader_pages, browser, axe_source, artifacts, viewport
):
    # Reader pages forbid inline scripts (Content-Security-Policy); the audit's own
    # script is injected past the policy, the page itself is audited as served.
    context = browser.new_context(
        viewport=PHONE if viewport == "phone" else DESKTOP, bypass_csp=True
    )
    page = context.new_page()
    report, serious = {}, {}
    for name, url in reader_pages.items():
        page.goto(url)
        page.add_script_tag(content=axe_source)
        result = page.evaluate("async () => await axe.run(document)")
        counts = {}
        for violation in result["violations"]:
            counts[violation["impact"]] = counts.get(violation["impact"], 0) + len(
                violation["nodes"]
            )
            if violation["impact"] in ("serious", "critical"):
                serious.setdefault(name, []).append(
                    f"{violation['id']}: {violation['help']} ({violation['nodes'][0]['target']})"
                )
        report[name] = {"violations": counts, "passes": len(result["passes"])}
    path = artifacts / f"axe-report-{viewport}.json"
    path.write_text(json.dumps(report, indent=1))
    context.close()
    assert not serious, serious


@pytest.mark.parametrize("name", ["home", "story", "search"])
def test_keyboard_reaches_every_control_with_a_visible_focus(reader_pages, page, name):
    page.set_viewport_size(DESKTOP)
    page.goto(reader_pages[name])
    expected = page.evaluate(
        """(selector) => Array.from(document.querySelectorAll(selector))
             .filter(el => el.getClientRects().length && getComputedStyle(el).visibility !== 'hidden')
             .map(el => el.outerHTML.slice(0, 120))""",
        FOCUSABLE,
    )
    reached, unfocused_same = [], []
    page.keyboard.press("Tab")
    first = page.evaluate("() => document.activeElement.className")
    assert first == "skip-link", f"first Tab stop is {first!r}, not the skip link"
    box = page.locator(".skip-link").bounding_box()
    assert box and box["y"] >= 0 and box["height"] > 10, "the focused skip link is off screen"
    for _ in range(len(expected) * 4 + 10):  # a date input takes three Tab stops
        state = page.evaluate(
            """() => {
                const el = document.activeElement;
                if (!el || el === document.body) return null;
                const focused = getComputedStyle(el);
                const on = [focused.outlineStyle, focused.outlineWidth, focused.boxShadow].join('|');
                return {html: el.outerHTML.slice(0, 120), on};
            }"""
        )
        if state is None or (reached and state["html"] == reached[0]):
            break
        seen_before = state["html"] in reached
        reached.append(state["html"])
        if seen_before:  # the next field of a date input: same element, already checked
            page.keyboard.press("Tab")
            continue
        off = page.evaluate(
            """() => { const el = document.activeElement; el.blur();
                const s = getComputedStyle(el); const v = [s.outlineStyle, s.outlineWidth, s.boxShadow].join('|');
                el.focus({focusVisible: true}); return v; }"""
        )
        if off == state["on"] or state["on"].startswith("none|"):
            unfocused_same.append(state["html"])
        page.keyboard.press("Tab")
    missing = [html for html in expected if html not in reached]
    assert not missing, f"{len(missing)} controls not reached by Tab: {missing[:5]}"
    assert not unfocused_same, f"no visible focus change on: {unfocused_same[:5]}"
    # The skip link moves focus to the main content.
    page.goto(reader_pages[name])
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    assert page.evaluate("() => document.activeElement.id") == "main"


def test_nu_html_checker_reports_no_error(reader_pages, browser, vnu_command, artifacts):
    folder = artifacts / "html"
    folder.mkdir(parents=True, exist_ok=True)
    context = browser.new_context()
    files = []
    for name, url in reader_pages.items():
        response = context.request.get(url)
        assert response.status == 200, url
        path = folder / f"{name}.html"
        path.write_bytes(response.body())
        files.append(str(path))
    context.close()
    run = subprocess.run([*vnu_command, *files], capture_output=True, text=True, timeout=300)
    messages = json.loads(run.stdout or run.stderr or '{"messages": []}')["messages"]
    errors = [m for m in messages if m.get("type") == "error"]
    by_file = {}
    for message in errors:
        by_file.setdefault(urlparse(message.get("url", "")).path.rsplit("/", 1)[-1], []).append(
            f"line {message.get('lastLine')}: {message.get('message')}"
        )
    (artifacts / "vnu-report.json").write_text(
        json.dumps({"pages": len(files), "errors": len(errors), "by_file": by_file}, indent=1)
    )
    assert not errors, by_file
