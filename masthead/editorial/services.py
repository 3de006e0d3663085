"""Checking a page with the site's settings: what the admin and the CLI call."""

import logging

from .engine import run_checks
from .findings import Finding
from .newsroom import newsroom_lexicon
from .story import Story, story_from_page

logger = logging.getLogger(__name__)


def levels_for(site) -> dict[str, str] | None:
    from .models import EditorialSettings

    if site is None:
        return None
    return EditorialSettings.for_site(site).levels()


def check_story(story: Story, site=None) -> list[Finding]:
    """Return the findings for ``story`` with the newsroom dictionary and ``site``'s levels."""
    return run_checks(story, newsroom_lexicon(), levels_for(site))


def check_page(page) -> list[Finding]:
    """Return the findings for an ArticlePage as it is in memory (saved or not)."""
    return check_page_with_story(page)[1]


def check_page_with_story(page) -> tuple[Story, list[Finding]]:
    """Return the story the checks read from ``page`` and their findings."""
    site = None
    if page.pk:
        site = page.get_site()
    if site is None:
        from wagtail.models import Site

        site = Site.objects.filter(is_default_site=True).first()
    story = story_from_page(page)
    return story, check_story(story, site)
