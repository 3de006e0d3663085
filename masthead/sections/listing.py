"""Helpers for lists of story teasers."""

from collections.abc import Iterable


def attach_sections(stories: Iterable) -> list:
    """Set ``section`` on each story from one query, so teasers cost no query each.

    A story's section is its parent page; parents are found by tree path.
    """
    from .models import SectionPage

    stories = list(stories)
    pending = [s for s in stories if "section" not in s.__dict__]
    if not pending:
        return stories
    parent_paths = {s.path[: -s.steplen] for s in pending}
    by_path = {s.path: s for s in SectionPage.objects.filter(path__in=parent_paths)}
    for story in pending:
        story.__dict__["section"] = by_path.get(story.path[: -story.steplen])
    return stories
