"""Where an uncached API story answer spends its time: cProfile over N requests.

    .venv/bin/python bench/api/profile_detail.py --data /tmp/api-bench [--requests 200]
        [--cached] [--sort tottime|cumulative] [--top 40] [--path /api/v1/stories/{pk}/]

Same set-up as bench/api/run.py (a copy of the archive, the embedded default, Django's
test client); prints wall p50/p95 of the profiled run (inflated by the profiler), the
SQL queries of one request, and the top functions by CPU time of the thread.
"""

import argparse
import cProfile
import io
import os
import pstats
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path


def check(response) -> None:
    if response.status_code != 200:
        raise SystemExit(f"answered {response.status_code}: {response.content[:300]!r}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", required=True)
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--cached", action="store_true")
    parser.add_argument("--sort", default="tottime")
    parser.add_argument("--top", type=int, default=40)
    parser.add_argument("--path", default="/api/v1/stories/{pk}/")
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="masthead-api-profile-"))
    shutil.copy(Path(args.data) / "masthead.sqlite3", work / "masthead.sqlite3")
    os.environ["MASTHEAD_DATA_DIR"] = str(work)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "masthead.settings.base")
    os.environ.pop("REDIS_URL", None)
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client, override_settings
    from django.test.utils import CaptureQueriesContext
    from wagtail.models import Site

    from masthead.api.models import ApiSettings
    from masthead.articles.models import ArticlePage

    call_command("migrate", verbosity=0)
    site = Site.objects.get(is_default_site=True)
    ApiSettings.objects.update_or_create(
        site=site, defaults={"anonymous_rate_per_minute": 10_000_000}
    )
    ids = list(ArticlePage.objects.live().order_by("pk").values_list("pk", flat=True))
    sample = ids[:: max(1, len(ids) // 200)][:200]
    if args.cached:
        sample = sample[:20]
    client = Client(HTTP_HOST="127.0.0.1")
    flags = {"MASTHEAD_API_CACHE": args.cached, "MASTHEAD_PAGE_CACHE": args.cached}
    with override_settings(**flags):
        for pk in sample:
            check(client.get(args.path.format(pk=pk)))
        with CaptureQueriesContext(connection) as queries:
            client.get(args.path.format(pk=sample[0]))
        print(f"{len(queries)} queries in one request:")
        for q in queries.captured_queries:
            print(f"  {q['time']}s  {q['sql'][:160]}")
        # CPU time of this thread, not wall time: on a shared machine the wall clock
        # also counts the time spent waiting for a core.
        profiler = cProfile.Profile(time.thread_time)
        times = []
        for i in range(args.requests):
            url = args.path.format(pk=sample[i % len(sample)])
            started = time.perf_counter()
            profiler.enable()
            response = client.get(url)
            profiler.disable()
            times.append((time.perf_counter() - started) * 1000)
            check(response)
    times.sort()
    print(
        f"\n{args.requests} requests under the profiler: p50 {statistics.median(times):.1f} ms, "
        f"p95 {times[int(0.95 * len(times))]:.1f} ms; load {os.getloadavg()[0]:.1f}\n"
    )
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats(args.sort).print_stats(args.top)
    print(out.getvalue())
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
