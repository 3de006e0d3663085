"""The cache that every process of one site sees: for counters, not for pages.

In production the default cache is Redis, shared by every worker and server. The
embedded default keeps pages in each worker's local memory (fast), but a worker that
publishes or unpublishes a story must reach the other workers, the scheduler and
command-line runs on the same machine: their invalidation counters live in a small
file cache in the data folder (settings ``CACHES["shared"]``), which all of them read.
"""

from django.conf import settings
from django.core.cache import cache, caches


def shared_cache():
    """Return the cache that all processes of this site share."""
    if "shared" in settings.CACHES:
        return caches["shared"]
    return cache
