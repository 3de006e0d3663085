"""In Chromium: the Content-Security-Policy blocks nothing the admin or a reader page needs.

A policy too strict for Wagtail's admin would break editing silently (buttons without
behaviour), so a real browser signs in, opens the screens an editor uses and reports
every CSP violation the page saw. The public story page is loaded the same way.
"""

import os
import shutil

import pytest

from masthead.accounts.roles import EDITORS, give_role
from tests.browser.chromium import CHROMIUM_BASE_ARGS

pytestmark = [pytest.mark.slow, pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CHROMIUM = "/usr/bin/chromium"

if not shutil.which(CHROMIUM):
    pytest.skip(
        "Debian Chromium is not installed (apt-get install -y chromium)", allow_module_level=True
    )

# Playwright's sync API keeps an event loop running in the main thread for the rest of
# the session, so Django's synchronous ORM calls need this from here on (docs: TOOLING).
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

COLLECT_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener('securitypolicyviolation', (e) => {
  window.__cspViolations.push(e.violatedDirective + ' ' + e.blockedURI);
});
"""


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_BASE_ARGS}


def _visit(page, url: str) -> list[str]:
    console = []
    page.on("console", lambda m: console.append(m.text) if "Content Security" in m.text else None)
    response = page.goto(url)
    assert response.status < 400, url
    page.wait_for_load_state("networkidle")
    return page.evaluate("window.__cspViolations") + console


def test_admin_and_reader_pages_run_under_the_policy(
    live_server, page, newsroom, django_user_model
):
    user = django_user_model.objects.create_user("ines", "ines@example.org", "right-pass-123")
    give_role(user, EDITORS)
    page.add_init_script(COLLECT_VIOLATIONS)
    # An address, not "localhost": Chromium once failed to resolve the name under load
    # (ERR_NAME_NOT_RESOLVED in a two-process run).
    base = live_server.url.replace("://localhost:", "://127.0.0.1:")
    story = newsroom.stories[0]

    assert _visit(page, f"{base}{story.url}") == []
    assert _visit(page, f"{base}/admin/login/") == []
    page.fill("#id_username", "ines")
    page.fill("#id_password", "right-pass-123")
    page.click("button[type=submit]")
    page.wait_for_url(f"{base}/admin/")
    screens = [
        "/admin/",
        f"/admin/pages/{newsroom.news.pk}/",
        f"/admin/pages/{story.pk}/edit/",
        "/admin/images/",
        "/admin/images/add/",
        "/admin/snippets/discovery/picklist/",
    ]
    for screen in screens:
        assert _visit(page, base + screen) == [], screen
    # The editor's scripts run: the side panel toggles and the preview panel loads.
    page.goto(f"{base}/admin/pages/{story.pk}/edit/")
    page.wait_for_load_state("networkidle")
    assert page.evaluate("typeof window.wagtail") == "object"
    assert page.locator("[data-controller~='w-tabs']").count() > 0
    page.fill("#id_title", "Story number 0 about the border, edited")
    page.click("button:has-text('Save draft')")
    page.wait_for_load_state("networkidle")
    assert "has been updated" in page.content()
    assert page.evaluate("window.__cspViolations") == []
