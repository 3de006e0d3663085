"""Helpers for lists of story teasers."""

from collections.abc import Iterable

from masthead.core import generation

# Bumped when a section or story changes (sections.signals).
GENERATION = "stories"


def _sections_by_path() -> dict:
    """Return every section page by tree path; a newsroom has a handful of sections."""
    from .models import SectionPage

    def compute():
        return {
            s.path: s
            for s in SectionPage.objects.only("id", "title", "slug", "path", "depth", "url_path")
        }

    return generation.cached(GENERATION, "sections-by-path", compute)


def attach_sections(stories: Iterable) -> list:
    """Set ``section`` on each story without a query per teaser (usually with none).

    A story's section is its parent page; parents are found by tree path in the
    cached section list, or in the database for a section the list does not know yet.
    """
    from .models import SectionPage

    stories = list(stories)
    pending = [s for s in stories if "section" not in s.__dict__]
    if not pending:
        return stories
    by_path = dict(_sections_by_path())
    missing = {s.path[: -s.steplen] for s in pending} - by_path.keys()
    if missing:
        by_path.update({s.path: s for s in SectionPage.objects.filter(path__in=missing)})
    for story in pending:
        story.__dict__["section"] = by_path.get(story.path[: -story.steplen])
    return stories
