"""Back office at archive scale: editors' listings, admin search and the page chooser.

    .venv/bin/python bench/backoffice/run.py                      # 1,000 and 100,000 stories
    .venv/bin/python bench/backoffice/run.py --sizes 1000 10000   # a quicker pair

Each size runs in its own process on a fresh SQLite database in a temporary folder:
migrate, generate the synthetic archive (masthead.search.archive, all stories under
their section, progress on stderr), build the search index (admin search and the
chooser search use it), log in a superuser with Django's test client and time each
admin view (--rounds requests after one warm-up; median wall-clock and CPU ms:
this process's CPU includes SQLite's work and is steadier on a loaded machine). Reader topic
and author listings are timed too, with the page cache off: they sort every story of
the topic or author on each request. Figures of one run are printed side by side with
the ratio of the largest size to the smallest; the target is under 1,000 ms for every
admin view at 100,000 stories.
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

ROOT = Path(__file__).resolve().parents[2]


def child(size: int, rounds: int, index: bool) -> dict:
    os.environ["MASTHEAD_DATA_DIR"] = tempfile.mkdtemp(prefix="masthead-backoffice-")
    os.environ["MASTHEAD_PAGE_CACHE"] = "0"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "masthead.settings.demo")
    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.test import Client

    settings.ALLOWED_HOSTS = ["*"]
    call_command("migrate", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    from masthead.articles.models import ArticlePage
    from masthead.people.models import Author
    from masthead.search.archive import build_search_index, generate_archive
    from masthead.sections.models import SectionPage, Topic

    started = time.monotonic()
    generate_archive(size, seed=3, progress=True)
    generated = time.monotonic() - started
    indexed = build_search_index(progress=True) if index else 0.0

    user = get_user_model().objects.create_superuser("bench", "bench@example.org", "x")
    client = Client()
    client.force_login(user)
    section = SectionPage.objects.order_by("path").first()
    story = ArticlePage.objects.filter(path__startswith=section.path).order_by("-pk").first()
    topic = Topic.objects.order_by("pk").first()
    author = Author.objects.order_by("pk").first()
    views = {
        "explorer: section": f"/admin/pages/{section.pk}/",
        "explorer: section, newest first": f"/admin/pages/{section.pk}/?ordering=-latest_revision_created_at",
        "explorer: section, page 50": f"/admin/pages/{section.pk}/?p=50",
        "explorer: edit a story": f"/admin/pages/{story.pk}/edit/",
        "admin search": "/admin/pages/search/?q=harbour",
        "chooser: root": "/admin/choose-page/",
        "chooser: section": f"/admin/choose-page/{section.pk}/",
        "chooser: search": "/admin/choose-page/search/?q=harbour",
        "reader: topic page": f"/topics/{topic.slug}/",
        "reader: author page": f"/authors/{author.slug}/",
    }
    if not index:
        views = {k: v for k, v in views.items() if "search" not in k}
    timings = {}
    for name, url in views.items():
        reader = name.startswith("reader")
        get = Client(HTTP_HOST="127.0.0.1").get if reader else client.get
        response = get(url)
        if response.status_code != 200:
            timings[name] = {"error": response.status_code}
            continue
        samples, cpu = [], []
        for _ in range(rounds):
            t0, c0 = time.perf_counter(), time.process_time()
            get(url)
            samples.append((time.perf_counter() - t0) * 1000)
            cpu.append((time.process_time() - c0) * 1000)
        timings[name] = {
            "median": statistics.median(samples),
            "max": max(samples),
            "cpu": statistics.median(cpu),
        }
        print(f"  {size}: {name}: {timings[name]['median']:.0f} ms", file=sys.stderr)
    return {
        "size": size,
        "generate_s": generated,
        "index_s": indexed,
        "views": timings,
        "load": os.getloadavg()[0],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 100_000])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--no-index", action="store_true", help="Skip search (no index build).")
    parser.add_argument("--child", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(args.child, args.rounds, not args.no_index)))
        return
    results = []
    for size in args.sizes:
        print(f"Building and measuring {size:,} stories ...", file=sys.stderr, flush=True)
        command = [sys.executable, __file__, "--child", str(size), "--rounds", str(args.rounds)]
        if args.no_index:
            command.append("--no-index")
        out = subprocess.run(
            command, cwd=ROOT, check=True, capture_output=False, text=True, stdout=subprocess.PIPE
        )
        results.append(json.loads(out.stdout.strip().splitlines()[-1]))
    small, large = results[0], results[-1]
    head = "".join(f"{r['size']:>12,}" for r in results)
    for measure, label in (("median", "wall ms, median"), ("cpu", "CPU ms, median")):
        print(f"{label:<36}{head}{'ratio':>8}")
        for name, first in small["views"].items():
            cells = []
            for r in results:
                v = r["views"].get(name, {})
                cells.append(f"{v[measure]:>12.0f}" if measure in v else f"{'err':>12}")
            last = large["views"].get(name, {})
            ok = measure in last and measure in first and first[measure]
            ratio = last[measure] / first[measure] if ok else 0
            print(f"{name:<36}{''.join(cells)}{ratio:>7.1f}x")
    print(
        "generate s / index s / load: "
        + "; ".join(
            f"{r['size']:,}: {r['generate_s']:.0f} / {r['index_s']:.0f} / {r['load']:.1f}"
            for r in results
        )
    )


if __name__ == "__main__":
    main()
