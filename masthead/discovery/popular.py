"""The most-read ranking, cached briefly so the block follows readers within a minute."""

from django.conf import settings
from django.core.cache import cache

from masthead.articles.models import ArticlePage

from .models import ArticleView

# Seconds a ranking is reused; the Popular block lags real reading by at most this.
DEFAULT_RANKING_TTL = 30
RANKING_DEPTH = 40
WINDOWS = (1, 7, 30)


def is_countable(article_id: int) -> bool:
    """Return whether views of a story count: it must be published and public."""
    return ArticlePage.objects.live().public().filter(pk=article_id).exists()


def ranking(days: int = 7) -> list[int]:
    """Return the ids of the most-read stories over ``days`` days, most read first."""
    if days not in WINDOWS:
        raise ValueError(f"Rankings cover {WINDOWS} days, not {days}.")
    key = f"discovery:most-read:{days}"
    ids = cache.get(key)
    if ids is None:
        ids = [a for a, _ in ArticleView.objects.most_read(days=days, limit=RANKING_DEPTH)]
        ttl = getattr(settings, "DISCOVERY_RANKING_TTL", DEFAULT_RANKING_TTL)
        cache.set(key, ids, ttl)
    return ids
