"""Steps in Wagtail's page editor that browser tests share.

Wagtail 8 autosaves a page form 500 ms after each change (the first autosave of a new
page creates it and points the form at its edit view), and pings the editing session
every 10 s. In full runs on a loaded machine, clicks that landed while an autosave was
on its way went wrong: a Publish opened the concurrent-editing dialog (the editor's own
autosave looked like a newer version), and a newly published policy page was missing
from the footer. A person reads the "Saving..." badge and clicks after it; these helpers
do the same before every button that submits the form.

The badge cannot show a change Wagtail has not noticed yet (it looks every 500 ms and
starts the autosave 530 ms after the last change it saw), so an autosave can still start
just after the wait. A click that lands in one is held by the editor's own script
(masthead/core/static/masthead/admin/submit-after-autosave.js) until its answer is in,
as it is for a person; when a submit fails anyway, the helpers name each field's error.
"""

import re

from playwright.sync_api import expect

# The header badge ("Saving...", "Saved") keeps the autosave state: Wagtail's
# w-autosave controller on it hears the form's save, success and error events.
AUTOSAVE_INDICATOR = "#w-autosave-indicator"


def settle_autosave(page, quiet_ms: int = 800, timeout_ms: int = 30_000) -> None:
    """Wait until the page form has no autosave pending or on its way.

    The badge's ``data-w-autosave-state-value`` is ``saving`` from the change that
    triggers an autosave until its answer is in; it has to stay otherwise for
    ``quiet_ms`` (a ping of the editing session sent before the autosave must come
    back).
    """
    if page.locator(AUTOSAVE_INDICATOR).count() == 0:
        return
    page.wait_for_function(
        """([selector, quiet]) => {
            const badge = document.querySelector(selector);
            if (!badge) return true;
            const now = performance.now();
            if (badge.dataset.wAutosaveStateValue === "saving") {
                window.__mhAutosaveQuietSince = undefined;
                return false;
            }
            if (window.__mhAutosaveQuietSince === undefined) window.__mhAutosaveQuietSince = now;
            return now - window.__mhAutosaveQuietSince >= quiet;
        }""",
        arg=[AUTOSAVE_INDICATOR, quiet_ms],
        polling=100,
        timeout=timeout_ms,
    )
    page.evaluate("() => { window.__mhAutosaveQuietSince = undefined; }")


def form_errors(page) -> list[str]:
    """Return the editor's error banner and each field's error, named by its field."""
    return page.evaluate(
        """() => {
            const errors = [];
            document.querySelectorAll(".messages .error").forEach((el) => {
                errors.push(el.innerText.trim().replace(/\\s+/g, " "));
            });
            document.querySelectorAll(".error-message").forEach((el) => {
                const field = el.closest("[data-contentpath]");
                const name = field ? field.dataset.contentpath : "(form)";
                errors.push(`${name}: ${el.innerText.trim()}`);
            });
            return errors;
        }"""
    )


def _assert_no_errors(page, action: str) -> None:
    errors = form_errors(page)
    assert not errors, f"{action} failed ({page.url}): " + " | ".join(errors)


def save_draft(page) -> None:
    """Click Save draft once autosave is quiet, and wait for the edit view it leads to."""
    settle_autosave(page)
    with page.expect_navigation():
        page.get_by_role("button", name="Save draft").click()
    _assert_no_errors(page, "Save draft")
    expect(page).to_have_url(re.compile(r"/admin/pages/\d+/edit/$"))


def publish(page) -> None:
    """Publish from the page editor's More actions once autosave is quiet; check it worked."""
    settle_autosave(page)
    page.get_by_role("button", name="More actions").click()
    with page.expect_navigation():
        page.get_by_role("button", name="Publish").click()
    messages = page.locator(".messages")
    expect(messages).to_contain_text(re.compile(r"published|could not|error", re.I))
    _assert_no_errors(page, "Publish")
    expect(messages).to_contain_text(re.compile(r"published", re.I))
    expect(messages).not_to_contain_text(re.compile(r"could not|error", re.I))
