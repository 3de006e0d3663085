"""The issue e-mail in Chromium at 600 px and 375 px, light and dark: no sideways
scrolling, pictures fit the column. Screenshots go to test-artifacts/newsletters/, and to
docs/screenshots/ with MASTHEAD_UPDATE_DOCS_SCREENSHOTS=1."""

import concurrent.futures
import os
import re
import shutil
from pathlib import Path

import pytest

from masthead.newsletters.rendering import personalise, render_issue

from .test_rendering import ARTIFACTS, ROOT, full_issue

pytestmark = [pytest.mark.django_db, pytest.mark.browser, pytest.mark.slow]
CHROMIUM = Path(os.environ.get("MASTHEAD_CHROMIUM", "/usr/bin/chromium"))
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def _local_pictures(html: str) -> str:
    """Point picture addresses at the rendition files, so the screenshot shows them."""
    from django.conf import settings

    def local(match):
        name = match.group(1)
        return f'src="file://{Path(settings.MEDIA_ROOT) / name}"'

    return re.sub(r'src="https?://[^"]+?/media/([^"]+)"', local, html)


def test_issue_email_fits_600_and_375_pixels_in_light_and_dark(newsroom):
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.skip("Playwright is not installed: pip install -e '.[test]'")
    if not CHROMIUM.exists():
        pytest.skip(f"Chromium not found at {CHROMIUM}: apt-get install chromium")
    from tests.browser.chromium import CHROMIUM_ARGS

    html = personalise(render_issue(full_issue(newsroom)).html, "#manage", "#unsubscribe")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page_file = ARTIFACTS / "issue.html"
    page_file.write_text(_local_pictures(html))
    shots = []

    def shoot() -> None:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
            try:
                for width in (600, 375):
                    for scheme in ("light", "dark"):
                        context = browser.new_context(
                            viewport={"width": width, "height": 900}, color_scheme=scheme
                        )
                        page = context.new_page()
                        page.goto(page_file.as_uri())
                        page.wait_for_load_state("load")
                        overflow = page.evaluate(
                            "() => document.documentElement.scrollWidth - window.innerWidth"
                        )
                        assert overflow <= 0, f"{width} px {scheme}: {overflow} px sideways"
                        widest = page.evaluate(
                            "() => Math.max(...[...document.images].map(i => i.getBoundingClientRect().width))"
                        )
                        assert 0 < widest <= min(width, 600), (width, widest)
                        loaded = page.evaluate(
                            "() => [...document.images].every(i => i.naturalWidth > 0)"
                        )
                        assert loaded, "a picture did not load"
                        background = page.evaluate(
                            "() => getComputedStyle(document.querySelector('.sheet')).backgroundColor"
                        )
                        assert (background == "rgb(255, 255, 255)") == (scheme == "light"), (
                            background
                        )
                        shot = ARTIFACTS / f"newsletter-{width}-{scheme}.png"
                        page.screenshot(path=str(shot), full_page=False)
                        shots.append(shot)
                        context.close()
            finally:
                browser.close()

    # Playwright's sync API refuses a thread with an event loop running, and another
    # browser test in this process may have left one: take the pictures in a thread of
    # their own.
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        pool.submit(shoot).result()
    if os.environ.get("MASTHEAD_UPDATE_DOCS_SCREENSHOTS"):
        for shot in shots:
            shutil.copy(shot, ROOT / "docs" / "screenshots" / shot.name)
