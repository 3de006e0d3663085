"""In Chromium: "Accept as correct" in the findings panel, as an editor clicks it.

The button posts the word with the edit form's CSRF token, then the panel checks the
unsaved form again; the finding goes away for this story and every other.
"""

import os
import re
import shutil

import pytest

from masthead.articles.factories import body_from_paragraphs
from masthead.editorial.models import NewsroomWord
from tests.browser.chromium import CHROMIUM_BASE_ARGS

pytestmark = [pytest.mark.slow, pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CHROMIUM = "/usr/bin/chromium"

if not shutil.which(CHROMIUM):
    pytest.skip(
        "Debian Chromium is not installed (apt-get install -y chromium)", allow_module_level=True
    )

# Playwright's sync API keeps an event loop running (docs: TOOLING).
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_BASE_ARGS}


@pytest.fixture
def tree(transactional_db):
    """Make the rows migrations create (locale, root page, default site) if missing.

    Another live-server test in the same process flushes every table when it ends, and
    these rows come from data migrations, so nothing puts them back.
    """
    from wagtail.models import Locale, Page, Site

    Locale.objects.get_or_create(language_code="en")
    root = Page.get_first_root_node() or Page.add_root(instance=Page(title="Root", slug="root"))
    if not Site.objects.filter(is_default_site=True).exists():
        welcome = root.add_child(instance=Page(title="Welcome", slug="welcome"))
        Site.objects.create(hostname="localhost", root_page=welcome, is_default_site=True)


def test_an_editor_accepts_two_names_in_one_click(
    tree, live_server, page, newsroom, django_user_model
):
    from playwright.sync_api import expect

    from masthead.editorial.newsroom import invalidate

    invalidate()
    django_user_model.objects.create_superuser("ines", "ines@example.org", "right-pass-123")
    from masthead.compat import publishing

    # The story carries the mistake the panel is about, so the publishing gate would
    # refuse it: the fixture publishes it through a named, logged override.
    with publishing.override("fixture", "A story with a deliberate respelt name."):
        story = newsroom.publish(
            title="Talks resume",
            slug="talks-resume",
            revision=True,
            body=body_from_paragraphs(["Minister Irina Valek arrived.", "Later Vallek said no."]),
        )
    base = live_server.url.replace("://localhost:", "://127.0.0.1:")
    page.goto(f"{base}/admin/login/")
    page.fill("#id_username", "ines")
    page.fill("#id_password", "right-pass-123")
    page.click("button[type=submit]")
    page.wait_for_url(f"{base}/admin/")
    page.goto(f"{base}/admin/pages/{story.pk}/edit/")
    panel = page.locator(".editorial-findings")
    expect(panel).to_contain_text("“Vallek” is also spelt “Valek” in this story.")
    expect(panel.locator("[data-other='Valek']")).to_have_count(1)
    panel.get_by_role("button", name=re.compile("Accept “Vallek” and “Valek”")).click()
    expect(panel.locator("[data-editorial-status]")).to_contain_text(
        "now in the newsroom's dictionary"
    )
    # The panel checks the form again: the finding is gone, nothing was saved.
    expect(panel.locator("[data-accept-word='Vallek']")).to_have_count(0)
    assert set(NewsroomWord.objects.values_list("word", flat=True)) == {"Vallek", "Valek"}
    assert story.revisions.count() == 1
