"""Choose the stories for the Related, Editor's choice and Popular blocks.

Every block draws from published public stories only, and a story already on the
page (the story itself, the top stories of a front, an earlier block) is skipped, so
no story appears twice on one page.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field

from masthead.articles.models import ArticlePage
from masthead.sections.listing import attach_sections

BLOCK_SIZE = 4
CANDIDATE_POOL = 40


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


def blocks_for(page=None, exclude: Iterable[int] = (), size: int = BLOCK_SIZE) -> DiscoveryBlocks:
    """Return the three discovery blocks for ``page`` with no story repeated.

    Related stories share a topic with the page, newest first; the editor's choice
    block shows flagged stories; the popular block shows the latest remaining stories
    until view counting provides a ranking.
    """
    seen = set(exclude)
    if page is not None:
        seen.add(page.pk)
    pool = list(ArticlePage.objects.teasers()[:CANDIDATE_POOL])
    result = DiscoveryBlocks()
    # Curated picks claim their stories first; related and popular fill around them.
    result.editors_choice = _take((s for s in pool if s.editors_choice), seen, size)
    if isinstance(page, ArticlePage):
        topic_ids = [t.pk for t in page.topics]
        related = (
            ArticlePage.objects.teasers().filter(article_topics__topic__in=topic_ids).distinct()
        )
        result.related = _take(related[:CANDIDATE_POOL], seen, size)
        if len(result.related) < size:
            # A young site with few topic matches still shows stories from the same section.
            same_section = (s for s in pool if s.path[: -s.steplen] == page.path[: -page.steplen])
            result.related += _take(same_section, seen, size - len(result.related))
    result.popular = _take(pool, seen, size)
    attach_sections([*result.related, *result.editors_choice, *result.popular])
    return result
