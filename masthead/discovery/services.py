"""Choose the stories for the Related, Editor's choice and Popular blocks.

Every block draws from published public stories only, and a story already on the
page (the story itself, the top stories of a front, an earlier block) is skipped, so
no story appears twice on one page. Curated picks claim their stories first, then
related stories, then the most read.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.conf import settings

from masthead.articles.models import ArticlePage
from masthead.sections.listing import attach_sections

from . import popular
from .models import ArticleRelatedArticle, Pick, RelatedExclusion, RelatedPin

BLOCK_SIZE = 4
CANDIDATE_POOL = 40
POPULAR_DAYS = 7


@dataclass
class DiscoveryBlocks:
    related: list = field(default_factory=list)
    editors_choice: list = field(default_factory=list)
    popular: list = field(default_factory=list)


def _take(candidates: Iterable, seen: set[int], size: int) -> list:
    picked = []
    for story in candidates:
        if story.pk in seen:
            continue
        seen.add(story.pk)
        picked.append(story)
        if len(picked) == size:
            break
    return picked


def _in_order(ids: list[int]) -> list:
    """Return the published public stories among ``ids``, in the order given."""
    if not ids:
        return []
    found = {story.pk: story for story in ArticlePage.objects.teasers().filter(pk__in=ids)}
    ordered, done = [], set()
    for pk in ids:
        if pk in found and pk not in done:
            done.add(pk)
            ordered.append(found[pk])
    return ordered


def _section_of(page):
    from masthead.sections.models import SectionPage

    if isinstance(page, SectionPage):
        return page
    if isinstance(page, ArticlePage):
        return page.section
    return None


def pick_ids(page=None) -> list[int]:
    """Return the ids of active curated picks for ``page``: its section's, then site-wide."""
    section = _section_of(page)
    picks = Pick.objects.active().select_related("pick_list")
    ids = []
    if section is not None:
        ids += list(
            picks.filter(pick_list__section=section)
            .order_by("sort_order")
            .values_list("article_id", flat=True)
        )
    ids += list(
        picks.filter(pick_list__section__isnull=True)
        .order_by("sort_order")
        .values_list("article_id", flat=True)
    )
    return ids


def related_ids(page: ArticlePage) -> tuple[list[int], set[int]]:
    """Return the related ids for a story (pins first, then computed) and its exclusions."""
    pinned = list(
        RelatedPin.objects.filter(page=page)
        .order_by("sort_order")
        .values_list("related_id", flat=True)
    )
    excluded = set(RelatedExclusion.objects.filter(page=page).values_list("related_id", flat=True))
    computed = [
        pk
        for pk in ArticleRelatedArticle.objects.filter(article=page)
        .order_by("-score")
        .values_list("related_id", flat=True)
        if pk not in excluded
    ]
    return pinned + computed, excluded


def _related(page: ArticlePage, pool: list, seen: set[int], size: int) -> list:
    ids, excluded = related_ids(page)
    seen_here = seen | excluded | {page.pk}
    chosen = _take(_in_order(ids), seen_here, size)
    if len(chosen) < size:
        # Not indexed yet, or a young site: stories sharing a topic, then the section.
        topic_ids = [t.pk for t in page.topics]
        same_topic = (
            ArticlePage.objects.teasers()
            .filter(article_topics__topic__in=topic_ids)
            .distinct()[:CANDIDATE_POOL]
        )
        chosen += _take(same_topic, seen_here, size - len(chosen))
    if len(chosen) < size:
        parent = page.path[: -page.steplen]
        same_section = (s for s in pool if s.path[: -s.steplen] == parent)
        chosen += _take(same_section, seen_here, size - len(chosen))
    seen.update(s.pk for s in chosen)
    return chosen


def blocks_for(page=None, exclude: Iterable[int] = (), size: int = BLOCK_SIZE) -> DiscoveryBlocks:
    """Return the three discovery blocks for ``page`` with no story repeated.

    Editor's choice shows the curated picks (section list first, then site-wide),
    topped up with stories flagged as editor's choice. Related shows pinned stories,
    then precomputed content matches, then same-topic and same-section stories. Popular
    ranks the last seven days of counted views, topped up with the newest stories
    while there are too few views.
    """
    seen = set(exclude)
    if page is not None:
        seen.add(page.pk)
    pool = list(ArticlePage.objects.teasers()[:CANDIDATE_POOL])
    result = DiscoveryBlocks()
    picks = _in_order(pick_ids(page))
    flagged = (s for s in pool if s.editors_choice)
    result.editors_choice = _take(picks, seen, size)
    if len(result.editors_choice) < size:
        result.editors_choice += _take(flagged, seen, size - len(result.editors_choice))
    for story in result.editors_choice:
        story.editors_choice = True  # the badge on the card; never saved
    if isinstance(page, ArticlePage):
        result.related = _related(page, pool, seen, size)
    days = getattr(settings, "DISCOVERY_POPULAR_DAYS", POPULAR_DAYS)
    result.popular = _take(_in_order(popular.ranking(days)), seen, size)
    if len(result.popular) < size:
        result.popular += _take(pool, seen, size - len(result.popular))
    attach_sections([*result.related, *result.editors_choice, *result.popular])
    return result
