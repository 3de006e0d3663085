"""Helpers for lists of story teasers."""

from collections.abc import Iterable, Sequence
from math import ceil

from masthead.core import changes


def _sections_by_path() -> dict:
    """Return every section page by tree path; a newsroom has a handful of sections."""
    from .models import SectionPage

    def compute():
        return {
            s.path: s
            for s in SectionPage.objects.only("id", "title", "slug", "path", "depth", "url_path")
        }

    return changes.cached("sections-by-path", changes.SITE, compute)


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


class ListingPage(Sequence):
    """One page of a story listing, found without counting the whole listing.

    Readers move through a listing with "Newer" and "Older" links; a total would
    cost a count over every story of a section, topic or author, which grows with
    the archive. One story more than a page is fetched to know whether an older
    page exists.
    """

    def __init__(self, object_list: list, number: int, has_next: bool):
        self.object_list = object_list
        self.number = number
        self._has_next = has_next

    def __len__(self) -> int:
        return len(self.object_list)

    def __getitem__(self, index):
        return self.object_list[index]

    def has_next(self) -> bool:
        return self._has_next

    def has_previous(self) -> bool:
        return self.number > 1

    def has_other_pages(self) -> bool:
        return self.has_next() or self.has_previous()

    def next_page_number(self) -> int:
        return self.number + 1

    def previous_page_number(self) -> int:
        return self.number - 1


def paginate(stories, raw_number, per_page: int) -> ListingPage:
    """Return page ``raw_number`` of the queryset ``stories`` (newest first).

    Like Django's ``Paginator.get_page``: a missing or invalid number gives the first
    page, and a number past the end the last page (only then are the stories counted).
    """
    try:
        number = max(1, int(raw_number))
    except (TypeError, ValueError):
        number = 1
    start = (number - 1) * per_page
    rows = list(stories[start : start + per_page + 1])
    if not rows and number > 1:
        # An outdated or made-up link past the last page.
        number = max(1, ceil(stories.count() / per_page))
        start = (number - 1) * per_page
        rows = list(stories[start : start + per_page + 1])
    return ListingPage(rows[:per_page], number, len(rows) > per_page)
