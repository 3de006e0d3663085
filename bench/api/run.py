"""Read API latency beside the story page, cached and uncached, on one archive in one run.

    # an archive of 100,000 stories (about 10-20 minutes; --no-index: no search here)
    MASTHEAD_DATA_DIR=/tmp/api-bench DJANGO_SETTINGS_MODULE=masthead.settings.base \\
        .venv/bin/python -m django migrate
    MASTHEAD_DATA_DIR=/tmp/api-bench DJANGO_SETTINGS_MODULE=masthead.settings.base \\
        .venv/bin/python -m django generate_archive 100000 --no-index
    .venv/bin/python bench/api/run.py --data /tmp/api-bench [--requests 300] [--json OUT]

The archive is copied first (the original is never written). In this process, with
Django's test client (no HTTP server, so the figures are the application's own):
the story page with the full-page cache off and on, and the API's story detail, ninjs
detail, first list page and a list page deep in the archive (by cursor), with the
API's answer cache off and on. Uncached requests rotate over 200 stories spread over
the whole archive; cached ones over the first 20 of them after one warm pass (a worker
of the embedded default keeps 300 cache entries, Django's default for its local-memory
cache, and a story page takes several: 200 stories would evict each other). Prints
p50/p95/p99 wall milliseconds, p50/p95 CPU milliseconds of the requesting thread
(``time.thread_time``: what a request costs when it does not wait for a core, so
comparable between runs on a loaded machine; waits on SQLite's disk reads are not in
it, and with the archive in the page cache there are few), and each median as a ratio
to the uncached story page.
"""

import argparse
import json
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path


def parse() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", required=True, help="data folder holding masthead.sqlite3")
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--json", help="write the figures here too")
    parser.add_argument("--cached-stories", type=int, default=20)
    return parser.parse_args()


def prepare(data: Path) -> Path:
    work = Path(tempfile.mkdtemp(prefix="masthead-api-bench-"))
    shutil.copy(data / "masthead.sqlite3", work / "masthead.sqlite3")
    os.environ["MASTHEAD_DATA_DIR"] = str(work)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "masthead.settings.base")
    os.environ.pop("REDIS_URL", None)
    return work


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def check(response, url: str) -> None:
    if response.status_code != 200:
        raise SystemExit(f"{url} answered {response.status_code}: {response.content[:300]!r}")


def main() -> None:
    args = parse()
    work = prepare(Path(args.data))
    import django

    django.setup()
    from django.core.management import call_command
    from django.test import Client, override_settings
    from wagtail.models import Site

    from masthead.api import cursor
    from masthead.api.models import ApiSettings
    from masthead.articles.models import ArticlePage

    call_command("migrate", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    site = Site.objects.get(is_default_site=True)
    ApiSettings.objects.update_or_create(
        site=site, defaults={"anonymous_rate_per_minute": 10_000_000}
    )
    stories = list(
        ArticlePage.objects.live().order_by("first_published_at").values_list("pk", flat=True)
    )
    total = len(stories)
    step = max(1, total // 200)
    sample = stories[::step][:200]
    middle = ArticlePage.objects.get(pk=stories[total // 2])
    deep = cursor.encode(middle.first_published_at, middle.pk)
    urls = {pk: ArticlePage.objects.get(pk=pk).url for pk in sample}
    client = Client(HTTP_HOST="127.0.0.1")

    cases = {
        "story page": lambda pk: urls[pk],
        "API story detail": lambda pk: f"/api/v1/stories/{pk}/",
        "API ninjs detail": lambda pk: f"/api/v1/stories/{pk}/ninjs/",
        "API list, first page (20)": lambda pk: f"/api/v1/stories/?limit=20&x={pk % 7}",
        "API list, deep cursor (20)": lambda pk: (
            f"/api/v1/stories/?limit=20&cursor={deep}&x={pk % 7}"
        ),
    }

    def run(name: str, cached: bool) -> dict:
        make = cases[name]
        stories = sample[: args.cached_stories] if cached else sample
        flags = {"MASTHEAD_PAGE_CACHE": cached, "MASTHEAD_API_CACHE": cached}
        with override_settings(**flags):
            for pk in stories:  # warm: Wagtail's own caches, and the answer cache when on
                check(client.get(make(pk)), make(pk))
            times, cpu = [], []
            for i in range(args.requests):
                url = make(stories[i % len(stories)])
                started, started_cpu = time.perf_counter(), time.thread_time()
                response = client.get(url)
                cpu.append((time.thread_time() - started_cpu) * 1000)
                times.append((time.perf_counter() - started) * 1000)
                check(response, url)
        return {
            "p50": statistics.median(times),
            "p95": percentile(times, 0.95),
            "p99": percentile(times, 0.99),
            "cpu_p50": statistics.median(cpu),
            "cpu_p95": percentile(cpu, 0.95),
        }

    load = Path("/proc/loadavg").read_text().split()[:3]
    results = {}
    for name in cases:
        for cached in (False, True):
            label = f"{name}, {'cached' if cached else 'uncached'}"
            results[label] = run(name, cached)
            print(f"  {label}: p50 {results[label]['p50']:.1f} ms", file=sys.stderr, flush=True)
    base = results["story page, uncached"]["p50"]
    print(f"\n{total:,} stories; {args.requests} requests per row; load {' '.join(load)}\n")
    print(
        "| request | p50 ms | p95 ms | p99 ms | CPU p50 ms | CPU p95 ms "
        "| p50 / story page uncached |"
    )
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
    for label, row in results.items():
        print(
            f"| {label} | {row['p50']:.1f} | {row['p95']:.1f} | {row['p99']:.1f} | "
            f"{row['cpu_p50']:.1f} | {row['cpu_p95']:.1f} | {row['p50'] / base:.2f} |"
        )
    if args.json:
        Path(args.json).write_text(
            json.dumps(
                {"stories": total, "requests": args.requests, "load": load, "results": results},
                indent=2,
            )
        )
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
