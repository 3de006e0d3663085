"""Cost of reading a cached page's tag counters: the embedded default's shared file cache
against process memory (what it was before the counters were shared between workers).

    .venv/bin/python bench/perf/counters_cost.py
"""

import tempfile
import timeit

import django
from django.conf import settings

d = tempfile.mkdtemp()
settings.configure(
    CACHES={
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
        "shared": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": d,
            "TIMEOUT": None,
        },
    }
)
django.setup()
from django.core.cache import caches  # noqa: E402

names = [f"mh:tag:page:{i}:{k}" for i in range(8) for k in ("soft", "hard")]  # 8 tags
for alias in ("default", "shared"):
    c = caches[alias]
    for n in names[::2]:
        c.set(n, 3, None)
    t = min(timeit.repeat(lambda c=c: c.get_many(names), number=200, repeat=5)) / 200
    print(f"{alias:8s} {t * 1e6:8.1f} us per page (16 counters)")
