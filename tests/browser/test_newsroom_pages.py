"""Every page kind of a site made by `masthead init`, on a phone (390 px) and a desktop (1280 px).

The site is built as a newsroom builds its own: `masthead init` with ten sections,
`masthead import wordpress` of the fixture export (an archive of stories without
pictures), then an editor's additions through `masthead manage shell`
(``init_content.py``: an Ethics policy page, twelve stories with pictures, a live
page; the export brings an About page), served by `masthead serve`. Each page kind must answer, fit the
screen's width, and be screenshotted; the section menu must reach every section on a
phone. Optimised screenshots go to ``test-artifacts/browser/newsroom-pages/``; with
``MASTHEAD_DOCS_SCREENSHOTS=1`` they replace those in docs/screenshots/newsroom/pages/
(docs/newsroom.md shows them):

    MASTHEAD_DOCS_SCREENSHOTS=1 .venv/bin/python -m pytest tests/browser/test_newsroom_pages.py
"""

import json
import os
import shutil
import signal
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.test_cli import MASTHEAD, _env, _free_port, _run

from .conftest import ARTIFACTS, ROOT

pytestmark = [pytest.mark.browser, pytest.mark.slow]

EXPORT = ROOT / "masthead/imports/tests/data/newsroom-1.2.xml"
DOCS = ROOT / "docs/screenshots/newsroom/pages"
SECTIONS = "News,Analysis,Opinion,Interview,Business,Culture,Sport,Environment,Science,Letters"
WIDTHS = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1280, "height": 800}}
# Screenshots are shrunk and reduced to a palette: the docs show the layout, and the
# repository keeps a few hundred KB instead of several MB.
SCALE = {"phone": 0.75, "desktop": 0.5}
COLOURS = 64


def _optimise(source: Path, target: Path, scale: float) -> None:
    from PIL import Image

    with Image.open(source) as image:
        image = image.convert("RGB")
        size = (round(image.width * scale), round(image.height * scale))
        image = image.resize(size, Image.Resampling.LANCZOS)
        image = image.quantize(COLOURS, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)
        image.save(target, optimize=True)


def _get(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status
    except urllib.error.HTTPError as exc:
        return exc.code


@pytest.fixture(scope="module")
def init_site(tmp_path_factory) -> dict:
    """Return the address and content of a newsroom made by `masthead init`, served."""
    folder = tmp_path_factory.mktemp("init-site")
    data = folder / "data"
    password = folder / "password"
    password.write_text("a long passphrase nobody guesses 42\n")
    # A port the system gives (not the browser servers' 8100-8199, which other test runs on
    # the machine also use): init names it in the site's address a minute before serve.
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    made = _run(
        *("init", "--data", str(data), "--name", "The Valley Courier", "--base-url", base),
        *("--sections", SECTIONS, "--language", "en-gb", "--time-zone", "Europe/London"),
        *("--admin-email", "ed@valley.example", "--password-file", str(password)),
        timeout=600,
    )
    assert made.returncode == 0, made.stderr[-3000:]
    imported = _run("import", "--data", str(data), "wordpress", str(EXPORT), timeout=600)
    assert imported.returncode == 0, imported.stderr[-3000:]
    script = (
        "import json; from tests.browser.init_content import write; "
        "print('CONTENT ' + json.dumps(write()))"
    )
    wrote = _run("manage", "--data", str(data), "shell", "-c", script, timeout=600)
    assert wrote.returncode == 0, wrote.stderr[-3000:]
    line = next(x for x in wrote.stdout.splitlines() if x.startswith("CONTENT "))
    content = json.loads(line.removeprefix("CONTENT "))
    env = _env(
        MASTHEAD_DATA_DIR=str(data),
        SECRET_KEY="a-test-secret-key-that-is-long-enough-for-django-checks-0123456789",
        ALLOWED_HOSTS="127.0.0.1",
        SECURE_SSL_REDIRECT="0",
        WEB_CONCURRENCY="1",
    )
    env.pop("MASTHEAD_BASE_URL", None)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    log = (ARTIFACTS / "server-init-site.log").open("w")
    server = subprocess.Popen(
        [*MASTHEAD, "serve", "--no-scheduler", "--port", str(port)],
        stdout=log,
        stderr=subprocess.STDOUT,
        env=env,
        cwd=ROOT,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 300
        while time.monotonic() < deadline and server.poll() is None:
            try:
                if _get(base + "/") == 200:
                    break
            except OSError:
                time.sleep(0.5)
        assert _get(base + "/") == 200, (ARTIFACTS / "server-init-site.log").read_text()[-3000:]
        # The server that answers is this one, not another that took the port meanwhile.
        assert server.poll() is None, (ARTIFACTS / "server-init-site.log").read_text()[-3000:]
        with urllib.request.urlopen(base + "/", timeout=10) as response:
            assert b"The Valley Courier" in response.read()
        yield {"base_url": base, **content}
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=60)
        log.close()


def _kinds(site: dict) -> dict[str, tuple[str, int]]:
    return {
        "home": ("/", 200),
        "section": (site["section"], 200),
        "story": (site["story"], 200),
        "imported-story": (site["imported_story"], 200),
        "information": ("/ethics-policy/", 200),
        "corrections": ("/corrections/", 200),
        "topic": (site["topic"], 200),
        "author": (site["author"], 200),
        "search": (f"/search/?q={site['search_word']}", 200),
        "live": (site["live"], 200),
        "not-found": ("/no-such-page/", 404),
    }


@pytest.mark.parametrize("width", ["phone", "desktop"])
def test_every_page_kind_fits_the_screen(init_site, browser, width):
    base = init_site["base_url"]
    shots = ARTIFACTS / "newsroom-pages"
    shots.mkdir(parents=True, exist_ok=True)
    context = browser.new_context(viewport=WIDTHS[width], is_mobile=width == "phone")
    page = context.new_page()
    try:
        for kind, (path, status) in _kinds(init_site).items():
            response = page.goto(base + path)
            assert response.status == status, (kind, path, response.status)
            expect(page.locator(".site-name")).to_contain_text("The Valley Courier")
            overflow = page.evaluate(
                "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
            )
            assert overflow <= 0, f"{kind} ({path}) is {overflow}px wider than the {width}"
            # A teaser without a picture gives its text the card's whole width (an empty
            # picture column squeezed it to a dozen characters a line in the side column).
            squeezed = page.evaluate(
                """() => Array.from(document.querySelectorAll('.card--text'), card => {
                    const body = card.querySelector('.card__body');
                    return [card.getBoundingClientRect().width,
                            body.getBoundingClientRect().width];
                }).filter(([card, body]) => body < card * 0.9)"""
            )
            assert squeezed == [], f"{kind}: text-only teasers squeezed {squeezed}"
            if kind == "imported-story":
                assert page.locator(".rail .card--text").count() > 0, "no text-only teaser"
            # Pictures in view are loaded (renditions are made on the first request) and
            # none is broken, before the screenshot.
            page.wait_for_function(
                """() => Array.from(document.images).filter(img => {
                    const box = img.getBoundingClientRect();
                    return box.bottom > 0 && box.top < innerHeight && box.width > 0;
                }).every(img => img.complete)""",
                timeout=120_000,
            )
            broken = page.evaluate(
                """() => Array.from(document.images)
                    .filter(img => img.complete && img.getBoundingClientRect().width > 0)
                    .filter(img => img.getBoundingClientRect().top < innerHeight)
                    .filter(img => img.naturalWidth === 0).map(img => img.currentSrc)"""
            )
            assert broken == [], f"{kind}: broken pictures {broken}"
            raw = shots / f"{kind}-{width}.raw.png"
            page.screenshot(path=raw)
            small = shots / f"{kind}-{width}.png"
            _optimise(raw, small, SCALE[width])
            assert small.stat().st_size > 3_000, f"screenshot {small} is empty"
            if os.environ.get("MASTHEAD_DOCS_SCREENSHOTS") == "1":
                DOCS.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(small, DOCS / small.name)
    finally:
        context.close()


def test_every_section_is_reachable_in_the_phone_menu(init_site, browser):
    base = init_site["base_url"]
    assert len(init_site["sections"]) >= 10
    context = browser.new_context(viewport=WIDTHS["phone"], is_mobile=True, has_touch=True)
    page = context.new_page()
    try:
        page.goto(base + "/")
        nav = page.locator(".site-nav")
        links = nav.get_by_role("link")
        assert links.all_inner_texts() == init_site["sections"]
        # The menu is wider than the phone: it scrolls inside itself, the page does not.
        box = page.evaluate(
            """() => {
                const list = document.querySelector('.site-nav ul');
                return {scroll: list.scrollWidth, client: list.clientWidth,
                        overflow: getComputedStyle(list).overflowX,
                        page: document.documentElement.scrollWidth,
                        rows: new Set(Array.from(list.children, li => li.offsetTop)).size};
            }"""
        )
        assert box["page"] <= WIDTHS["phone"]["width"], box
        assert box["rows"] == 1, f"the menu wraps on a phone: {box}"
        assert box["scroll"] > box["client"] and box["overflow"] in ("auto", "scroll"), box
        for index, name in enumerate(init_site["sections"]):
            link = links.nth(index)
            link.scroll_into_view_if_needed()
            rect = link.bounding_box()
            assert rect["x"] >= 0 and rect["x"] + rect["width"] <= WIDTHS["phone"]["width"], (
                name,
                rect,
            )
            # Nothing covers it: a tap at its centre lands on the link itself.
            hit = page.evaluate(
                "([x, y]) => document.elementFromPoint(x, y)?.closest('a')?.textContent",
                [rect["x"] + rect["width"] / 2, rect["y"] + rect["height"] / 2],
            )
            assert hit == name, (name, hit)
            assert rect["height"] >= 24, f"{name} is too small to tap ({rect['height']}px)"
        last = init_site["sections"][-1]
        links.last.tap()
        expect(page).to_have_url(base + f"/{last.lower()}/")
        expect(page.locator(".site-nav a[aria-current='page']")).to_have_text(last)
    finally:
        context.close()


EVIL_SVG = (
    b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32" onload="alert(1)">'
    b'<rect width="32" height="32"/></svg>'
)
ICON_SVG = (
    b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><title>Courier</title>'
    b'<rect width="32" height="32" rx="6" fill="#036"/>'
    b'<path d="M8 8 L16 24 L24 8" stroke="#fff" stroke-width="3" fill="none"/></svg>'
)


def test_an_editor_sets_an_svg_favicon_and_a_hostile_one_is_refused(init_site, browser, tmp_path):
    base = init_site["base_url"]
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    try:
        page.goto(base + "/admin/login/")
        page.fill("#id_username", "ed")
        page.fill("#id_password", "a long passphrase nobody guesses 42")
        page.get_by_role("button", name="Sign in").click()
        expect(page).to_have_url(base + "/admin/")
        evil, icon = tmp_path / "evil.svg", tmp_path / "courier.svg"
        evil.write_bytes(EVIL_SVG)
        icon.write_bytes(ICON_SVG)

        page.goto(base + "/admin/settings/navigation/siteidentity/")
        page.set_input_files("#id_favicon_svg", evil)
        with page.expect_navigation():
            page.get_by_role("button", name="Save").click()
        expect(
            page.get_by_text("The attribute onload= on <svg> is an event handler (script)")
        ).to_be_visible()
        reader = context.new_page()
        reader.goto(base + "/")
        assert reader.locator("link[rel=icon][href^='/favicon.svg']").count() == 0

        page.set_input_files("#id_favicon_svg", icon)
        with page.expect_navigation():
            page.get_by_role("button", name="Save").click()
        expect(page.locator(".messages")).to_contain_text("updated")
        reader.goto(base + "/")
        link = reader.locator("link[rel=icon][type='image/svg+xml']")
        href = link.get_attribute("href")
        assert href.startswith("/favicon.svg?v="), href
        # The browser draws it as a picture: 32 x 32 from its viewBox.
        size = reader.evaluate(
            """(src) => new Promise((done) => {
                const img = new Image();
                img.onload = () => done([img.naturalWidth, img.naturalHeight]);
                img.onerror = () => done(null);
                img.src = src;
            })""",
            href,
        )
        assert size is not None and size[0] > 0, size
        answer = context.request.get(base + href)
        assert answer.headers["content-type"] == "image/svg+xml"
        assert "sandbox" in answer.headers["content-security-policy"]
    finally:
        context.close()
