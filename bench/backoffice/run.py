"""Back office at archive scale: editors' listings, admin search and the page chooser.

    .venv/bin/python bench/backoffice/run.py                      # 1,000 and 100,000 stories
    .venv/bin/python bench/backoffice/run.py --sizes 1000 10000   # a quicker pair
    .venv/bin/python bench/backoffice/run.py --sizes 1000 \
        --archive DIR/bench-100000.sqlite3             # a prebuilt archive

Each size runs in its own process on a fresh SQLite database in a temporary folder:
migrate, generate the synthetic archive (masthead.demo.archive, all stories under
their section, progress on stderr) and build the search index (admin search and the
chooser search use it). ``--archive FILE`` skips both: the SQLite file (built by
masthead.demo.archive with its index, e.g. by ``bench/search/run.py --keep``) is
copied and the copy migrated; the file itself is never written. One unpublished story
is then added through Wagtail (a revision, indexed by Wagtail's signal handlers), and
admin search and the chooser must find it by a word of its headline. A superuser logs
in with Django's test client and each admin view is timed (--rounds requests after
one warm-up; median wall-clock and CPU ms: this process's CPU includes SQLite's work
and is steadier on a loaded machine; the warm-up's CPU and its SQL query count are
printed too, as the first request after a start fills per-process caches). Reader
topic and author listings are timed too, with the page cache off. Figures of one run
are printed side by side with the ratio of the largest size to the smallest; the
target is under 1,000 ms for every admin view at 100,000 stories.
"""

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def copy_archive(archive: Path, folder: Path) -> Path:
    """Copy a prebuilt SQLite archive (and its write-ahead log, if any) into ``folder``."""
    target = folder / "masthead.sqlite3"
    for suffix in ("", "-wal"):
        source = Path(f"{archive}{suffix}")
        if source.exists():
            subprocess.run(["cp", "--reflink=auto", str(source), f"{target}{suffix}"], check=True)
    return target


DRAFT_WORD = "zanquillor"


def add_draft(section):
    """Add an unpublished story whose headline holds ``DRAFT_WORD``; return it.

    Saved through Wagtail (a revision, the search index updated by Wagtail's signal
    handlers), as an editor's draft is: admin search and the chooser must find it.
    """
    from masthead.articles.models import ArticlePage

    draft = ArticlePage(
        title=f"Council weighs the {DRAFT_WORD} ferry plan",
        slug="backoffice-bench-draft",
        standfirst="A draft that only editors see.",
        live=False,
    )
    section.add_child(instance=draft)
    draft.save_revision()
    return draft


def child(size: int, rounds: int, index: bool, archive: Path | None = None) -> dict:
    folder = Path(tempfile.mkdtemp(prefix="masthead-backoffice-"))
    os.environ["MASTHEAD_DATA_DIR"] = str(folder)
    os.environ["MASTHEAD_PAGE_CACHE"] = "0"
    if archive is not None:
        os.environ["DATABASE_URL"] = f"sqlite:///{copy_archive(archive, folder)}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "masthead.settings.demo")
    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    settings.ALLOWED_HOSTS = ["*"]
    call_command("migrate", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    from masthead.articles.models import ArticlePage
    from masthead.demo.archive import build_search_index, generate_archive
    from masthead.people.models import Author
    from masthead.sections.models import SectionPage, Topic

    started = time.monotonic()
    if archive is None:
        generate_archive(size, seed=3, progress=True)
        generated = time.monotonic() - started
        indexed = build_search_index(progress=True) if index else 0.0
    else:
        generated = indexed = 0.0
    size = ArticlePage.objects.count()
    draft = add_draft(SectionPage.objects.order_by("path").first())

    user = get_user_model().objects.create_superuser("bench", "bench@example.org", "x")
    client = Client()
    client.force_login(user)
    section = SectionPage.objects.order_by("path").first()
    story = (
        ArticlePage.objects.filter(path__startswith=section.path, live=True).order_by("-pk").first()
    )
    topic = Topic.objects.order_by("pk").first()
    author = Author.objects.order_by("pk").first()
    # Each view: its URL and a text the response must contain (None: only status 200).
    views = {
        "explorer: section": (f"/admin/pages/{section.pk}/", None),
        "explorer: section, newest first": (
            f"/admin/pages/{section.pk}/?ordering=-latest_revision_created_at",
            None,
        ),
        "explorer: section, page 50": (f"/admin/pages/{section.pk}/?p=50", None),
        "explorer: edit a story": (f"/admin/pages/{story.pk}/edit/", None),
        "admin search": ("/admin/pages/search/?q=harbour", None),
        "admin search: a draft": (f"/admin/pages/search/?q={DRAFT_WORD}", draft.title),
        "chooser: root": ("/admin/choose-page/", None),
        "chooser: section": (f"/admin/choose-page/{section.pk}/", None),
        "chooser: search": ("/admin/choose-page/search/?q=harbour", None),
        "chooser: search, a draft": (f"/admin/choose-page/search/?q={DRAFT_WORD}", draft.title),
        "reader: topic page": (f"/topics/{topic.slug}/", None),
        "reader: author page": (f"/authors/{author.slug}/", None),
    }
    if not index:
        views = {k: v for k, v in views.items() if "search" not in k}
    timings = {}
    for name, (url, expected) in views.items():
        reader = name.startswith("reader")
        get = Client(HTTP_HOST="127.0.0.1").get if reader else client.get
        c0 = time.process_time()
        with CaptureQueriesContext(connection) as queries:
            response = get(url)
        first_cpu = (time.process_time() - c0) * 1000
        # Counted now: the next request empties Django's query log.
        query_count = len(queries)
        if response.status_code != 200:
            timings[name] = {"error": response.status_code}
            continue
        if expected and expected not in response.content.decode():
            timings[name] = {"error": "missing result"}
            print(f"  {size}: {name}: {expected!r} not in the response", file=sys.stderr)
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
            "queries": query_count,
            "first_cpu": first_cpu,
        }
        print(
            f"  {size}: {name}: {timings[name]['median']:.0f} ms wall, "
            f"{timings[name]['cpu']:.0f} ms CPU, {query_count} queries",
            file=sys.stderr,
        )
    load = os.getloadavg()[0]
    # The folder holds a whole archive copy (over 1 GB at 100,000 stories).
    connection.close()
    shutil.rmtree(folder, ignore_errors=True)
    return {
        "size": size,
        "generate_s": generated,
        "index_s": indexed,
        "views": timings,
        "load": load,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--sizes",
        type=int,
        nargs="*",
        help="archives to generate (default 1,000 and 100,000; 1,000 alone with --archive)",
    )
    parser.add_argument(
        "--archive",
        type=Path,
        nargs="+",
        default=[],
        help="prebuilt SQLite archives (with their search index) to measure on a migrated copy",
    )
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--no-index", action="store_true", help="Skip search (no index build).")
    parser.add_argument("--child", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--child-archive", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child is not None:
        row = child(args.child, args.rounds, not args.no_index, args.child_archive)
        print(json.dumps(row))
        return
    for archive in args.archive:
        if not archive.is_file():
            parser.error(f"{archive} is not a file")
    sizes = args.sizes
    if sizes is None:
        sizes = [1000] if args.archive else [1000, 100_000]
    runs = [(size, None) for size in sizes] + [(0, archive) for archive in args.archive]
    results = []
    for size, archive in runs:
        command = [sys.executable, __file__, "--child", str(size), "--rounds", str(args.rounds)]
        if archive is None:
            print(f"Building and measuring {size:,} stories ...", file=sys.stderr, flush=True)
        else:
            print(f"Measuring a copy of {archive} ...", file=sys.stderr, flush=True)
            command += ["--child-archive", str(archive)]
        if args.no_index:
            command.append("--no-index")
        out = subprocess.run(
            command, cwd=ROOT, check=True, capture_output=False, text=True, stdout=subprocess.PIPE
        )
        results.append(json.loads(out.stdout.strip().splitlines()[-1]))
    small, large = results[0], results[-1]
    head = "".join(f"{r['size']:>12,}" for r in results)
    measures = (
        ("median", "wall ms, median"),
        ("cpu", "CPU ms, median"),
        ("first_cpu", "CPU ms, first request"),
        ("queries", "SQL queries"),
    )
    for measure, label in measures:
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
