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
import json
import os
import statistics
import subprocess
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


def setup_django(data_dir: str) -> None:
    os.environ["MASTHEAD_DATA_DIR"] = data_dir
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "masthead.settings.test")
    import django

    django.setup()


def child(cmd: list[str]) -> str:
    """Run this script in a fresh process (one database per process) and return its output."""
    return subprocess.run(
        [sys.executable, __file__, *cmd],
        check=True,
        capture_output=True,
        text=True,
        cwd=Path(__file__).resolve().parents[2],
    ).stdout


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--small", type=int, default=300)
    parser.add_argument("--large", type=int, default=1500)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--build", nargs=2, help=argparse.SUPPRESS)
    parser.add_argument("--measure", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.build:
        setup_django(args.build[1])
        build(int(args.build[0]))
        return
    if args.measure:
        setup_django(args.measure)
        print("RESULT " + json.dumps(measure(args.repeats)), flush=True)
        return

    folders = {}
    for count in (args.small, args.large):
        folders[count] = tempfile.mkdtemp(prefix=f"masthead-bench-{count}-")
        print(f"building an archive of {count} stories", flush=True)
        print(child(["--build", str(count), folders[count]]), end="", flush=True)
    # Alternate the two archives over several rounds and keep each URL's best median,
    # so load from other work on the machine hits both sides alike.
    best: dict[int, dict] = {args.small: {}, args.large: {}}
    for round_ in range(args.rounds):
        for count, folder in folders.items():
            out = child(["--measure", folder, "--repeats", str(args.repeats)])
            result = json.loads(out.split("RESULT ", 1)[1])
            for url, row in result.items():
                if url not in best[count] or row[0] < best[count][url][0]:
                    best[count][url] = row
        print(f"  round {round_ + 1}/{args.rounds} measured", flush=True)
    small, large = best[args.small], best[args.large]
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
