"""The edited front page beside the automatic one: SQL queries and CPU per uncached render.

    .venv/bin/python bench/perf/front.py [--data DIR] [--renders 15] [--rounds 3]

With ``--data`` the demo newsroom in DIR is used, and built there first when DIR has
none (a few minutes); without it the demo is built in a temporary folder. The two
fronts are rendered alternately in the same process, page cache off, after a warm-up
each, so the machine's load touches both alike: compare the ratio, not the figures.
The arrangement is the one docs/newsroom.md shows: a chosen lead, a section row, a
topic row, the latest stories, Editor's choice and Popular.
"""

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))


def _setup(data: str | None) -> None:
    folder = data or tempfile.mkdtemp(prefix="masthead-front-bench-")
    os.environ["MASTHEAD_DATA_DIR"] = str(Path(folder).resolve())
    os.environ["MASTHEAD_PAGE_CACHE"] = "0"
    os.environ["DJANGO_SETTINGS_MODULE"] = "masthead.settings.demo"
    import django

    django.setup()


def _arrangement(home):
    from masthead.articles.models import ArticlePage
    from masthead.sections.models import SectionPage, Topic

    sections = list(SectionPage.objects.child_of(home).live().order_by("path"))
    stories = list(ArticlePage.objects.live().order_by("-first_published_at")[:12])
    topic = Topic.objects.filter(article_links__isnull=False).order_by("name").first()
    return [
        ("lead", {"story": stories[-1]}),
        ("row", {"heading": "", "section": sections[1], "topic": None, "count": 3}),
        ("row", {"heading": "", "section": None, "topic": topic, "count": 3}),
        ("latest", {"heading": "", "count": 6}),
        ("editors_choice", {"heading": ""}),
        ("popular", {"heading": ""}),
    ]


def _measure(client, renders: int) -> tuple[int, list[float], int]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get("/")  # warm what a running site keeps warm
    with CaptureQueriesContext(connection) as captured:
        response = client.get("/")
    # Read now: the next request empties the connection's query log.
    queries = len(captured)
    cards = response.content.decode().count('class="card__headline"')
    cpu = []
    for _ in range(renders):
        started = time.process_time()
        client.get("/")
        cpu.append((time.process_time() - started) * 1000)
    return queries, cpu, cards


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", default=None, help="A data folder holding the demo.")
    parser.add_argument("--renders", type=int, default=15)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    _setup(args.data)
    from django.core.management import call_command
    from django.test import Client

    from masthead.sections.models import HomePage

    call_command("migrate", interactive=False, verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    if not HomePage.objects.exists():
        from masthead.demo.seed import seed

        print("Building the demo newsroom ...", flush=True)
        seed(progress=lambda *_: None)
    home = HomePage.objects.get()
    arranged = _arrangement(home)
    client = Client(HTTP_HOST="127.0.0.1")
    results = {"automatic": ([], 0, 0), "edited": ([], 0, 0)}
    try:
        for _ in range(args.rounds):
            for name, front in (("automatic", []), ("edited", arranged)):
                home.front = front
                home.save()
                queries, cpu, cards = _measure(client, args.renders)
                results[name] = (results[name][0] + cpu, queries, cards)
    finally:
        home.front = []
        home.save()
    auto = statistics.median(results["automatic"][0])
    print(f"{'front':<10} {'queries':>7} {'cards':>5} {'median CPU ms':>13} {'ratio':>5}")
    for name, (cpu, queries, cards) in results.items():
        median = statistics.median(cpu)
        print(f"{name:<10} {queries:>7} {cards:>5} {median:>13.1f} {median / auto:>5.2f}")


if __name__ == "__main__":
    main()
