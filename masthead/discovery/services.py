"""Choose the stories for the Related, Editor's choice and Popular blocks.

Every block draws from published public stories only, and a story already on the
page (the story itself, the top stories of a front, an earlier block) is skipped, so
no story appears twice on one page. Curated picks claim their stories first, then
related stories, then the most read.

The candidate lists (newest stories, curated picks, a story's related ids, the most
read) are lists of ids each worker keeps until the ``STORIES`` counter moves
(`masthead.core.changes`), so a warm render costs a single teaser query for all three
blocks, whatever their size. The teaser query still filters to published public
stories, so a list can never show a withdrawn story.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Exists, OuterRef
from django.utils import timezone

from masthead.articles.models import ArticlePage, ArticleTopic
from masthead.core import changes
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


def _take(candidates: Iterable[int], seen: set[int], size: int) -> list[int]:
    picked = []
    for pk in candidates:
        if pk in seen:
            continue
        seen.add(pk)
        picked.append(pk)
        if len(picked) == size:
            break
    return picked


def _public_ids(ids: Iterable[int]) -> set[int]:
    ids = set(ids)
    if not ids:
        return set()
    return set(ArticlePage.objects.live().public().filter(pk__in=ids).values_list("pk", flat=True))


def _section_of(page):
    from masthead.sections.models import SectionPage

    if isinstance(page, SectionPage):
        return page
    if isinstance(page, ArticlePage):
        return page.section
    return None


def pool_rows() -> list[tuple[int, bool, str]]:
    """Return (id, editor's choice flag, parent path) of the newest published public stories."""

    def compute():
        rows = (
            ArticlePage.objects.live()
            .public()
            .order_by("-first_published_at", "-pk")
            .values_list("pk", "editors_choice", "path", "depth")[:CANDIDATE_POOL]
        )
        steplen = ArticlePage.steplen
        return [(pk, flag, path[:-steplen]) for pk, flag, path, _ in rows]

    return changes.cached("discovery:pool", changes.STORIES, compute)


def _pick_rows() -> list[tuple]:
    """Return every curated pick with the published public stories among them."""

    def compute():
        rows = list(
            Pick.objects.order_by("sort_order", "pk").values_list(
                "pick_list__section_id", "article_id", "starts_at", "ends_at"
            )
        )
        public = _public_ids(row[1] for row in rows)
        return [row for row in rows if row[1] in public]

    return changes.cached("discovery:picks", changes.STORIES, compute)


def pick_ids(page=None) -> list[int]:
    """Return the ids of active curated picks for ``page``: its section's, then site-wide."""
    section = _section_of(page)
    now = timezone.now()
    active = [
        (section_id, pk)
        for section_id, pk, starts, ends in _pick_rows()
        if (starts is None or starts <= now) and (ends is None or ends > now)
    ]
    ids = []
    if section is not None:
        ids += [pk for section_id, pk in active if section_id == section.pk]
    ids += [pk for section_id, pk in active if section_id is None]
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


def _related_candidates(page: ArticlePage) -> dict:
    """Return a story's related ids, exclusions and same-topic fallbacks, all published."""

    def compute():
        ids, excluded = related_ids(page)
        topic_ids = [t.pk for t in page.topics]
        same_topic = []
        if topic_ids:
            # EXISTS, not a join: newest stories first along the publication-date
            # index, stopping at the pool size, instead of sorting every story that
            # shares a topic (and no DISTINCT needed).
            same_topic = list(
                ArticlePage.objects.live()
                .public()
                .filter(
                    Exists(ArticleTopic.objects.filter(page=OuterRef("pk"), topic__in=topic_ids))
                )
                .exclude(pk=page.pk)
                .order_by("-first_published_at", "-pk")
                .values_list("pk", flat=True)[:CANDIDATE_POOL]
            )
        public = _public_ids(ids)
        return {
            "ids": [pk for pk in ids if pk in public],
            "excluded": excluded,
            "same_topic": same_topic,
        }

    return changes.cached(f"discovery:related:{page.pk}", changes.STORIES, compute)


def _popular_ids(days: int) -> list[int]:
    ranking = popular.ranking(days)

    def compute():
        public = _public_ids(ranking)
        return [pk for pk in ranking if pk in public]

    return changes.cached(f"discovery:popular:{days}", (changes.STORIES, changes.RANKING), compute)


def _related(page: ArticlePage, pool: list, seen: set[int], size: int) -> list[int]:
    candidates = _related_candidates(page)
    seen_here = seen | candidates["excluded"] | {page.pk}
    chosen = _take(candidates["ids"], seen_here, size)
    if len(chosen) < size:
        # Not indexed yet, or a young site: stories sharing a topic, then the section.
        chosen += _take(candidates["same_topic"], seen_here, size - len(chosen))
    if len(chosen) < size:
        parent = page.path[: -page.steplen]
        same_section = (pk for pk, _, parent_path in pool if parent_path == parent)
        chosen += _take(same_section, seen_here, size - len(chosen))
    seen.update(chosen)
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
    pool = pool_rows()
    editors_choice = _take(pick_ids(page), seen, size)
    if len(editors_choice) < size:
        flagged = (pk for pk, flag, _ in pool if flag)
        editors_choice += _take(flagged, seen, size - len(editors_choice))
    related = _related(page, pool, seen, size) if isinstance(page, ArticlePage) else []
    days = getattr(settings, "DISCOVERY_POPULAR_DAYS", POPULAR_DAYS)
    popular_ids = _take(_popular_ids(days), seen, size)
    if len(popular_ids) < size:
        popular_ids += _take((pk for pk, _, _ in pool), seen, size - len(popular_ids))

    # One teaser query for all three blocks, with the cards' renditions in one more:
    # most cards are reused whole (masthead.caching.fragments), but a worker with empty
    # caches must not look up each card's pictures one by one.
    wanted = [*related, *editors_choice, *popular_ids]
    found = {s.pk: s for s in ArticlePage.objects.cards().filter(pk__in=wanted)} if wanted else {}
    result = DiscoveryBlocks(
        related=[found[pk] for pk in related if pk in found],
        editors_choice=[found[pk] for pk in editors_choice if pk in found],
        popular=[found[pk] for pk in popular_ids if pk in found],
    )
    for story in result.editors_choice:
        story.editors_choice = True  # the badge on the card; never saved
    attach_sections([*result.related, *result.editors_choice, *result.popular])
    return result
