"""Benchmark `masthead import wordpress` on generated exports, in a throwaway database.

    .venv/bin/python bench/imports/run.py                  # 10,000 posts + comparisons
    .venv/bin/python bench/imports/run.py --posts 2000     # quicker
    .venv/bin/python bench/imports/run.py --small 0        # the full import alone

One process, one fresh SQLite database, phases run one after another so their ratios
are comparable on a shared machine:

1. baseline: N_SMALL posts written the plain Wagtail way (add_child, then
   save_revision().publish(), search and reference indexes updated on every save);
2. one by one: N_SMALL posts through the importer's one-story-per-transaction path
   (the importer before bulk writing: ``page_published`` per story);
3. importer: N_SMALL posts through the importer (bulk batches of 500);
4. re-run: the importer again on phase 3's file (everything unchanged);
5. full: --posts posts through the importer (target: under two minutes).

Each phase imports another generated site into its own section. Wall-clock and CPU
seconds are printed for each phase, with posts per second and the ratio to the
baseline. ``--database-url postgres://...`` runs it all on a scratch PostgreSQL
database (created and dropped) instead of SQLite.

6. second run: the importer again on phase 5's file, which must change nothing: no story
   created or updated, and the same number of rows in every table before and after
   (``--no-rerun`` skips it).

``--both`` runs everything on SQLite, then on PostgreSQL (``--database-url``, default
the local server), each in a process of its own, and ends with both engines' figures
side by side:

    .venv/bin/python bench/imports/run.py --small 0 --both
"""

import argparse
import json
import math
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))


def scratch_database(url: str):
    """Create a scratch PostgreSQL database beside ``url``; return its URL and a dropper.

    The scratch database is named after the one in ``url`` plus the process id
    (``.../h_bench`` gives ``h_bench_1234``; ``.../postgres`` gives ``imports_bench_1234``)
    and created through the server's ``postgres`` database, so ``url``'s own need not exist.
    """
    import psycopg

    base, wanted = url.rsplit("/", 1)
    wanted = wanted.split("?", 1)[0]
    name = f"{wanted if wanted and wanted != 'postgres' else 'imports_bench'}_{os.getpid()}"
    admin = psycopg.connect(f"{base}/postgres", autocommit=True)
    admin.execute(f'CREATE DATABASE "{name}"')

    def drop():
        from django.db import connections

        connections.close_all()
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    return f"{base}/{name}", drop


def setup(data_dir: Path, database_url: str = "") -> None:
    os.environ["MASTHEAD_DATA_DIR"] = str(data_dir)
    os.environ["DJANGO_SETTINGS_MODULE"] = "masthead.settings.demo"
    if database_url:
        os.environ["DATABASE_URL"] = database_url
    else:
        os.environ.pop("DATABASE_URL", None)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)
    from wagtail.models import Page, Site

    from masthead.sections.models import HomePage, SectionPage

    root = Page.get_first_root_node()
    home = HomePage(title="Bench Ledger", slug="front")
    root.add_child(instance=home)
    home.save_revision().publish()
    site = Site.objects.get(is_default_site=True)
    old = site.root_page
    site.root_page = home
    site.save()
    old.delete()
    for slug in ("news", "baseline", "onebyone", "full"):
        section = SectionPage(title=slug.title(), slug=slug)
        home.add_child(instance=section)
        section.save_revision().publish()


def database_cpu() -> float:
    """Return the CPU seconds of this connection's PostgreSQL server process, else NaN.

    Read from /proc, so only for a server on this machine; SQLite runs in this process
    and is counted in its own CPU time.
    """
    from django.db import connection

    if connection.vendor != "postgresql":
        return math.nan
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            pid = cursor.fetchone()[0]
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return math.nan
    # utime and stime, the 14th and 15th fields of the line (the 12th, 13th after ")")
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


class BaselineWriter:
    """Mixin: create stories the plain way, for comparison."""

    def _create(self, spec):
        from masthead.articles.models import ArticlePage
        from masthead.imports.service import State

        slug = self.unique_slug(spec.section, spec.slug, None)
        page = ArticlePage(slug=slug, live=False)
        self._fill(page, spec, slug)
        spec.section.add_child(instance=page)
        self.slugs[spec.section.pk].add(slug)
        self._restrict(page, spec)
        revision = page.save_revision()
        if spec.state != State.DRAFT:
            revision.publish()
        return page


class OneByOneWriter:
    """Mixin: write every new story in its own transaction, as the importer did before."""

    def flush(self):
        from masthead.imports.errors import ItemError

        batch, self.pending, self.pending_ids = self.pending, [], set()
        for spec, digest in batch:
            try:
                self.report.count("story", self.write_one(spec, digest, None))
            except ItemError as exc:
                self.report.skip("story", spec.label, str(exc))


def phase_bar():
    """Return an importer progress bar class that also times each phase it draws.

    A phase runs from the moment its bar starts to the moment the next one starts
    (work between two bars counts to the first); "parse" is the time before the first
    (reading the XML file, authors). ``began`` is set by the caller when the import starts.
    """
    from masthead.imports.report import ProgressBar

    class PhaseBar(ProgressBar):
        timeline: list = []
        began: tuple[float, float, float] = (0.0, 0.0, 0.0)

        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self.marks = [("parse", *PhaseBar.began)]
            self.seen = None
            PhaseBar.timeline = self.marks

        def update(self, done: int) -> None:
            if self.seen != self.started:
                self.seen = self.started
                names = [mark[0] for mark in self.marks]
                name = self.label if self.label not in names else f"{self.label} (2)"
                self.marks.append((name, time.perf_counter(), time.process_time(), database_cpu()))
            super().update(done)

    return PhaseBar


def phases(marks: list, end: tuple) -> list[tuple[str, float, float, float]]:
    """Return (phase, wall, CPU, database CPU) from the bar's marks and the end of the run."""
    ends = [mark[1:] for mark in marks[1:]] + [end]
    return [
        (name, we - w, ce - c, de - d)
        for (name, w, c, d), (we, ce, de) in zip(marks, ends, strict=True)
    ]


def timed(
    label: str, path: Path, posts: int, section: str, baseline: bool = False, one: bool = False
) -> dict:
    from masthead.imports import runner, service
    from masthead.imports.wordpress import import_wordpress

    original = runner.StoryWriter
    if one:
        runner.StoryWriter = type("OneByOne", (OneByOneWriter, service.StoryWriter), {})
    if baseline:
        plain = type("PlainWriter", (OneByOneWriter, BaselineWriter, service.StoryWriter), {})

        import contextlib

        runner.StoryWriter = plain
        hold = service.indexing_held_back
        service.indexing_held_back = contextlib.nullcontext
    from masthead.imports import wordpress

    bar, wordpress.ProgressBar = wordpress.ProgressBar, phase_bar()
    started, cpu, database = time.perf_counter(), time.process_time(), database_cpu()
    wordpress.ProgressBar.began = (started, cpu, database)
    try:
        report = import_wordpress(path, section=section, download=False, progress=True)
    finally:
        runner.StoryWriter = original
        if baseline:
            service.indexing_held_back = hold
        timer, wordpress.ProgressBar = wordpress.ProgressBar, bar
    wall_end, cpu_end, database_end = time.perf_counter(), time.process_time(), database_cpu()
    wall, cpu = wall_end - started, cpu_end - cpu
    counts = {o: report.total("story", o) for o in ("created", "updated", "unchanged")}
    return {
        "label": label,
        "posts": posts,
        "wall": wall,
        "cpu": cpu,
        "database": database_end - database,
        "phases": phases(timer.timeline, (wall_end, cpu_end, database_end)),
        **counts,
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--posts", type=int, default=10_000)
    parser.add_argument(
        "--small", type=int, default=500, help="posts of the comparison phases; 0 skips them"
    )
    parser.add_argument("--database-url", default="", help="a PostgreSQL server to use")
    parser.add_argument(
        "--keep", action="store_true", help="keep the temporary folder (exports, SQLite database)"
    )
    parser.add_argument(
        "--both", action="store_true", help="SQLite, then PostgreSQL (--database-url), one run"
    )
    parser.add_argument("--no-rerun", action="store_true", help="skip the second full run")
    parser.add_argument("--json", default="", help=argparse.SUPPRESS)  # for --both
    args = parser.parse_args()
    if args.both:
        both(args)
        return
    from generate import generate

    work = Path(tempfile.mkdtemp(prefix="masthead-import-bench-"))
    database_url, drop = scratch_database(args.database_url) if args.database_url else ("", None)
    try:
        run_phases(args, work, database_url, generate)
    finally:
        if drop:
            drop()
        if args.keep:
            print(f"kept {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)  # a 10,000-post run leaves 300 MB


def run_phases(args, work: Path, database_url: str, generate) -> None:
    setup(work, database_url)
    from django.db import connection

    files = {}
    for name, count, host in (
        ("baseline", args.small, "baseline.example.org"),
        ("onebyone", args.small, "onebyone.example.org"),
        ("small", args.small, "small.example.org"),
        ("full", args.posts, "full.example.org"),
    ):
        files[name] = work / f"{name}.xml"
        with open(files[name], "w", encoding="utf-8") as handle:
            generate(count, handle, host=host)
    rows = []
    if args.small:
        rows += [
            timed(
                f"baseline: plain Wagtail, {args.small}",
                files["baseline"],
                args.small,
                "baseline",
                True,
            ),
            timed(
                f"one by one (before), {args.small}",
                files["onebyone"],
                args.small,
                "onebyone",
                one=True,
            ),
            timed(f"importer, {args.small}", files["small"], args.small, "news"),
            timed(f"re-run unchanged, {args.small}", files["small"], args.small, "news"),
        ]
    rows.append(timed(f"importer, {args.posts}", files["full"], args.posts, "full"))
    if not args.no_rerun:
        before = table_rows()
        rows.append(timed(f"second run, {args.posts}", files["full"], args.posts, "full"))
        after = table_rows()
        rows[-1]["tables_changed"] = {
            name: [before.get(name, 0), count]
            for name, count in after.items()
            if before.get(name, 0) != count
        }
    base = rows[0]["wall"] / rows[0]["posts"]
    print(f"\nImport benchmark ({connection.vendor}, {work}); wall and CPU seconds here:")
    print(f"{'phase':<34}{'wall s':>9}{'CPU s':>9}{'posts/s':>9}{'ms/post':>9}{'vs baseline':>13}")
    for row in rows:
        per = row["wall"] / row["posts"]
        print(
            f"{row['label']:<34}{row['wall']:>9.1f}{row['cpu']:>9.1f}{row['posts'] / row['wall']:>9.1f}"
            f"{per * 1000:>9.1f}{base / per:>12.1f}x"
        )
        print(
            f"{'':<34}created {row['created']}, updated {row['updated']}, unchanged {row['unchanged']}"
        )
    for row in rows[2:] if args.small else rows:
        print(
            f"\nPhases of '{row['label']}' (wall s, CPU s, posts per wall second"
            ", PostgreSQL server CPU s):"
        )
        for name, wall, cpu, database in row["phases"]:
            print(
                f"  {name:<20}{wall:>9.1f}{cpu:>9.1f}{row['posts'] / wall if wall else 0:>10.0f}"
                f"{database:>9.1f}"
            )
        print(
            f"  {'total':<20}{row['wall']:>9.1f}{row['cpu']:>9.1f}"
            f"{row['posts'] / row['wall']:>10.0f}{row['database']:>9.1f}"
        )
    for row in rows:
        if "tables_changed" in row:
            changed = row["tables_changed"] or "none"
            print(
                f"\n{row['label']}: created {row['created']}, updated {row['updated']}, "
                f"unchanged {row['unchanged']}; tables whose row count changed: {changed}"
            )
    print(f"\nload average at the end: {os.getloadavg()}")
    if args.json:
        Path(args.json).write_text(
            json.dumps({"engine": connection.vendor, "rows": rows, "load": os.getloadavg()})
        )


def table_rows() -> dict[str, int]:
    """Return the number of rows of every table of the database."""
    from django.db import connection

    counts = {}
    with connection.cursor() as cursor:
        for name in connection.introspection.table_names(cursor):
            # Names from the database itself, quoted.
            cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(name)}")  # noqa: S608
            counts[name] = cursor.fetchone()[0]
    return counts


def both(args) -> None:
    """Run this benchmark on SQLite, then on PostgreSQL, and print them side by side."""
    import subprocess

    url = args.database_url or "postgres://postgres@127.0.0.1:5432/postgres"
    results = []
    for engine, extra in (("sqlite", []), ("postgresql", ["--database-url", url])):
        out = Path(tempfile.mkstemp(prefix=f"masthead-import-bench-{engine}-", suffix=".json")[1])
        command = [sys.executable, __file__, "--posts", str(args.posts), "--small", str(args.small)]
        command += extra + (["--no-rerun"] if args.no_rerun else []) + ["--json", str(out)]
        print(f"\n=== {engine}: load average at the start {os.getloadavg()}", flush=True)
        subprocess.run(command, check=True)
        results.append(json.loads(out.read_text()))
        out.unlink()
    print(f"\n{'10,000-post import' if args.posts == 10_000 else 'import'} on both engines:")
    print(f"{'engine':<12}{'phase':<28}{'wall s':>9}{'CPU s':>9}{'db CPU s':>10}  outcome")
    for result in results:
        for row in result["rows"][-2:] if not args.no_rerun else result["rows"][-1:]:
            outcome = (
                f"created {row['created']}, updated {row['updated']}, unchanged {row['unchanged']}"
            )
            if "tables_changed" in row:
                outcome += f"; tables changed: {row['tables_changed'] or 'none'}"
            print(
                f"{result['engine']:<12}{row['label']:<28}{row['wall']:>9.1f}{row['cpu']:>9.1f}"
                f"{row['database']:>10.1f}  {outcome}"
            )
        print(f"{'':<12}load average at the end: {result['load']}")


if __name__ == "__main__":
    main()
