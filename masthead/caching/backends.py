"""Local-memory cache without per-key validation warnings.

Django's base backend checks every key for characters memcached would reject and
warns; that check runs through lazy settings and a regex for each key and made up most
of a cached hit's time here (a page checks two counters per tag, about 40 keys; see
bench/perf/hit_path.py). Masthead's keys are hex digests and tag names, always safe, so
this backend skips the check and otherwise behaves like Django's LocMemCache.
"""

from django.core.cache.backends.locmem import LocMemCache


class FastLocMemCache(LocMemCache):
    def validate_key(self, key):
        return None

    def make_and_validate_key(self, key, version=None):
        return self.make_key(key, version=version)
