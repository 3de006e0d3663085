"""The most-read ranking, kept in the shared store so every worker shows the same one.

The scheduler's pass refreshes it (``refresh_rankings``) and says "ranked" when it
moved, so every worker's Popular block and cached pages follow readers within one
pass. Without the scheduler (tests, a bare ``runserver``) a ranking older than
``DISCOVERY_RANKING_TTL`` seconds is computed again on the next read.
"""

from django.conf import settings

from masthead.articles.models import ArticlePage
from masthead.core import changes, state

from .models import ArticleView

# Seconds a ranking is reused without a refresh; the Popular block lags real reading
# by at most this.
DEFAULT_RANKING_TTL = 30
RANKING_DEPTH = 40
WINDOWS = (1, 7, 30)
_KEY = "mh:ranking:{days}"


def is_countable(article_id: int) -> bool:
    """Return whether views of a story count: it must be published and public."""
    return ArticlePage.objects.live().public().filter(pk=article_id).exists()


def _ttl() -> int:
    return int(getattr(settings, "DISCOVERY_RANKING_TTL", DEFAULT_RANKING_TTL))


def compute(days: int) -> list[int]:
    """Return the ids of the most-read stories over ``days`` days, from the counts."""
    return [a for a, _ in ArticleView.objects.most_read(days=days, limit=RANKING_DEPTH)]


def ranking(days: int = 7) -> list[int]:
    """Return the ids of the most-read stories over ``days`` days, most read first."""
    if days not in WINDOWS:
        raise ValueError(f"Rankings cover {WINDOWS} days, not {days}.")

    def read() -> list[int]:
        key = _KEY.format(days=days)
        ids = state.store().get(key)
        if ids is None:
            ids = compute(days)
            state.store().set(key, ids, _ttl())
        return ids

    return changes.cached(f"ranking:{days}", changes.RANKING, read, ttl=_ttl())


def refresh() -> bool:
    """Compute every ranking again; say "ranked" if one moved. Return whether one did."""
    moved = False
    for days in WINDOWS:
        key = _KEY.format(days=days)
        ids = compute(days)
        if state.store().get(key) != ids:
            moved = True
        # Kept a little longer than a pass apart, so readers never wait for a build.
        state.store().set(key, ids, max(_ttl(), 120))
    if moved:
        changes.changed("ranked")
    return moved
