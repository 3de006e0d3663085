"""How feed and sitemap responses cost as the archive grows: they should stay flat.

Builds two throwaway SQLite archives (small and large), then times the same requests
against each in one run and prints the ratio large/small side by side. A ratio near 1
means the response is paged and does not grow with the archive.

Run from the project root:

    MASTHEAD_SITEMAP_PAGE_SIZE=250 .venv/bin/python bench/syndication/bench_archive.py --small 300 --large 1500

(a sitemap page size below both archive sizes, so both runs serve a full first page).

Stories are inserted through the page tree (treebeard) without revisions, which is
what makes building a few thousand take seconds rather than minutes.
"""

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

URLS = [
    "/feeds/rss/",
    "/feeds/json/",
    "/feeds/section/news/atom/",
    "/feeds/topic/marevia/rss/",
    "/sitemap.xml",
    "/sitemap-stories.xml",
    "/news-sitemap.xml",
]


def build(count: int) -> None:
    from datetime import timedelta

    from django.core.management import call_command
    from django.db import transaction
    from django.utils import timezone
    from wagtail.models import Page, Site

    from masthead.articles.models import ArticlePage, ArticleTopic
    from masthead.sections.models import HomePage, SectionPage, Topic

    call_command("migrate", verbosity=0)
    root = Page.get_first_root_node()
    home = root.add_child(instance=HomePage(title="Bench Ledger", slug="bench-home"))
    Site.objects.update_or_create(
        is_default_site=True,
        defaults={"hostname": "testserver", "root_page": home, "port": 80},
    )
    news = home.add_child(instance=SectionPage(title="News", slug="news"))
    topic = Topic.objects.create(name="Marevia", slug="marevia")
    now = timezone.now()
    started = time.perf_counter()
    with transaction.atomic():
        for i in range(count):
            when = now - timedelta(minutes=30 * i)
            story = news.add_child(
                instance=ArticlePage(
                    title=f"Bench story {i}",
                    slug=f"bench-story-{i}",
                    standfirst="A standfirst for the benchmark.",
                    first_published_at=when,
                    last_published_at=when,
                    live=True,
                )
            )
            if i % 2 == 0:
                ArticleTopic.objects.create(page=story, topic=topic)
            if i and i % 1000 == 0:
                print(f"  built {i}/{count} stories", flush=True)
    print(f"  built {count} stories in {time.perf_counter() - started:.1f}s", flush=True)


def measure(repeats: int) -> dict[str, tuple[float, int, int]]:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client()
    results = {}
    for url in URLS:
        client.get(url)  # warm caches
        times = []
        for _ in range(repeats):
            with CaptureQueriesContext(connection) as queries:
                started = time.perf_counter()
                response = client.get(url)
                times.append(time.perf_counter() - started)
            if response.status_code != 200:
                raise RuntimeError(f"{url} answered {response.status_code}")
        results[url] = (statistics.median(times) * 1000, len(queries), len(response.content))
    return results


def run_one(count: int, repeats: int) -> dict:
    """Build an archive of ``count`` stories in a fresh data folder and measure it."""
    os.environ["MASTHEAD_DATA_DIR"] = tempfile.mkdtemp(prefix=f"masthead-bench-{count}-")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "masthead.settings.test")
    import django

    django.setup()
    build(count)
    return measure(repeats)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--small", type=int, default=300)
    parser.add_argument("--large", type=int, default=1500)
    parser.add_argument("--repeats", type=int, default=7)
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one is not None:
        import json

        print("RESULT " + json.dumps(run_one(args.one, args.repeats)), flush=True)
        return

    import json
    import subprocess

    runs = {}
    for count in (args.small, args.large):
        print(f"archive of {count} stories:", flush=True)
        out = subprocess.run(
            [sys.executable, __file__, "--one", str(count), "--repeats", str(args.repeats)],
            check=True,
            capture_output=True,
            text=True,
            cwd=Path(__file__).resolve().parents[2],
        ).stdout
        print("\n".join(line for line in out.splitlines() if not line.startswith("RESULT")))
        runs[count] = json.loads(out.split("RESULT ", 1)[1])
    small, large = runs[args.small], runs[args.large]
    print()
    print(
        f"{'URL':28} {'ms @' + str(args.small):>10} {'ms @' + str(args.large):>10} "
        f"{'ratio':>6} {'queries':>9} {'bytes':>15}"
    )
    for url in URLS:
        s_ms, s_q, s_b = small[url]
        l_ms, l_q, l_b = large[url]
        print(
            f"{url:28} {s_ms:10.1f} {l_ms:10.1f} {l_ms / s_ms:6.2f} {s_q:>4}/{l_q:<4} "
            f"{s_b:>7}/{l_b:<7}"
        )


if __name__ == "__main__":
    main()
