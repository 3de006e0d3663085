"""Search benchmark: index build time, index size and query latency at several archive sizes.

    .venv/bin/python bench/search/run.py                       # 1,000 and 100,000; SQLite and PostgreSQL
    .venv/bin/python bench/search/run.py --sizes 1000 --engines sqlite
    .venv/bin/python bench/search/run.py --rounds 5 --pg-url postgres://postgres@127.0.0.1:5432/postgres

Each (engine, size) runs in its own process on a fresh database: SQLite in a temporary
file, PostgreSQL in a database named ``masthead_bench_<size>`` (``--pg-prefix`` changes the
first part) created on the server of ``--pg-url`` and dropped afterwards. With ``--keep DIR`` the archives stay (SQLite files
in DIR, PostgreSQL databases on the server) with a note of each build in DIR, and a
later run with the same DIR reuses them and reports the noted build figures again
(``built_at`` says when); ``--build-only`` stops after building. The process migrates, generates the archive with
masthead.demo.archive (progress on stderr), builds the search index through Wagtail's
backend (timed), measures the index size, then runs the query mix below ``--rounds``
times through ``masthead.search.services.search`` (the whole reader search: ranking,
count, loading the page of stories, snippets and the did-you-mean check) and reports
p50/p95/max of wall-clock time, plus the same for this process's CPU time (on SQLite
that includes the database work, so it is less disturbed by other load on a shared
machine; on PostgreSQL the server's work is not in it) and the load average at the
end. The first query also builds the did-you-mean vocabulary; that one-off
cost is reported separately and left out of the percentiles.

The machine is shared, so compare the rows of one run with each other rather than with
figures from another run.
"""

import argparse
import datetime as dt
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SEED = 7


def child(
    engine: str,
    size: int,
    db_url: str,
    rounds: int,
    built: Path | None,
    build_only: bool,
    compare: bool = True,
) -> dict:
    """Build one archive (or reuse the one ``built`` describes) and measure it."""
    import django

    os.environ["DATABASE_URL"] = db_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "masthead.settings.base")
    django.setup()
    import datetime as dt

    from django.core.management import call_command
    from django.db import connection

    from masthead.core import changes
    from masthead.demo.archive import build_search_index, generate_archive
    from masthead.search import services, suggest

    call_command("migrate", verbosity=0)
    if built is not None and built.exists():
        build = json.loads(built.read_text())
        print(f"reusing the archive built {build['built_at']}", file=sys.stderr, flush=True)
    else:
        started = time.monotonic()
        generate_archive(size, seed=SEED, progress=True)
        generate_seconds = time.monotonic() - started
        index_seconds = build_search_index(progress=True)
        with connection.cursor() as cursor:
            # VACUUM too: the index build updates every new entry once (title norms),
            # and a server with autovacuum off would keep those dead rows, which the
            # GIN bitmap scans then visit.
            cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
        build = {
            "seed": SEED,
            "generate_s": round(generate_seconds, 1),
            "index_build_s": round(index_seconds, 1),
            "built_at": dt.datetime.now(dt.UTC).isoformat(timespec="minutes"),
        }
        if built is not None:
            built.write_text(json.dumps(build))
    if build_only:
        return {"engine": engine, "stories": size, **build}
    index_bytes = _index_bytes(connection)

    mix = query_mix(build.get("seed", SEED))

    def run(query: str, options: dict) -> float:
        filters, sort = run_options(options)
        t, cpu = time.perf_counter(), time.process_time()
        services.search(query, filters, sort=sort)
        cpu_ms.append((time.process_time() - cpu) * 1000)
        return (time.perf_counter() - t) * 1000

    cpu_ms: list[float] = []

    changes.changed("words")
    t = time.perf_counter()
    suggest.vocabulary()
    vocabulary_ms = (time.perf_counter() - t) * 1000
    for query, options in mix:  # warm caches once
        run(query, options)
    cpu_ms.clear()
    timings = [run(q, o) for _ in range(rounds) for q, o in mix]
    timings.sort()
    cpu_ms.sort()
    with open("/proc/loadavg") as f:
        load = float(f.read().split()[0])
    agreement = _agreement(services, mix, run_options) if compare else {}
    return {
        "engine": engine,
        "stories": size,
        "generate_s": build["generate_s"],
        "index_build_s": build["index_build_s"],
        "built_at": build["built_at"],
        "index_mb": round(index_bytes / 1e6, 1),
        "vocabulary_ms": round(vocabulary_ms),
        "queries": len(timings),
        "p50_ms": round(statistics.median(timings), 1),
        "p95_ms": round(timings[int(0.95 * (len(timings) - 1))], 1),
        "max_ms": round(timings[-1], 1),
        "cpu_p50_ms": round(statistics.median(cpu_ms), 1),
        "cpu_p95_ms": round(cpu_ms[int(0.95 * (len(cpu_ms) - 1))], 1),
        "load_avg": load,
        **agreement,
    }


def query_mix(seed: int) -> list[tuple[str, dict]]:
    """Return the benchmark's reader queries, each with its options (filters, sort)."""
    import datetime as dt

    from masthead.demo.archive import _World
    from masthead.search.text import fold

    # Generated names with diacritics, exactly as the generator makes them (same seed).
    rng = random.Random(seed)
    accented = [p for p in _World(rng).people if not p.isascii()][:2]
    today = dt.date.today()
    return [
        ("Irina Valek", {}),
        ("Marevia", {}),
        ("Kolvenia pipeline contract", {}),
        ('"water treaty"', {}),
        ('"border talks" Dastan', {}),
        ("border talks", {}),
        ("officials", {}),
        ("prices risen sharply", {}),
        ("Sarvan Cooperation Council", {}),
        ("Harbour Workers Union strike", {}),
        ("Irina Valeck", {}),
        ("pipelin contrakt", {}),
        *[(name, {}) for name in accented],
        *[(fold(name), {}) for name in accented],
        ("ferry service Serel", {}),
        ("interest rates", {"sort": "date"}),
        ("budget plan", {"section": "news"}),
        ("election rules", {"topic": "elections"}),
        ("trade deal", {"date_from": today - dt.timedelta(days=365)}),
        ("NEAR(border OR talks) * -x", {}),
        ("'; DROP TABLE wagtailcore_page; --", {}),
        ("x" * 10_000, {}),
        ("zzzzqqq", {}),
    ]


def run_options(options: dict) -> tuple:
    """Return (Filters, sort) for one query's options."""
    from masthead.search import services

    filters = services.Filters(
        section=options.get("section", ""),
        topic=options.get("topic", ""),
        date_from=options.get("date_from"),
    )
    return filters, options.get("sort", "relevance")


def _agreement(services, mix: list, run_options) -> dict:
    """Compare each query's first page with the full ranking (every match scored).

    Queries matching more than ``services.RANK_ALL`` stories rank only the newest
    matches; this reports how many queries took that path, and for them how often the
    first result is the same as the full ranking's and how many of its first ten
    results the full ranking also has in its first ten.
    """
    from django.utils import timezone

    from masthead.search.query import parse

    now = timezone.now()
    newest_path, same_first, overlap = 0, 0, []
    for query, options in mix:
        parsed = parse(query)
        if not parsed:
            continue
        filters, sort = run_options(options)
        rows, cut_short = services._newest_candidates(parsed, filters, services.MAX_COUNT + 1, now)
        if len(rows) <= services.RANK_ALL and not cut_short:
            continue
        fast = services.ranked_ids(parsed, filters, sort, 0, services.PAGE_SIZE, now)[0]
        full = services._exact_ranked(parsed, filters, sort, now)[: services.PAGE_SIZE]
        newest_path += 1
        same_first += bool(fast and full and fast[0] == full[0])
        overlap.append(len(set(fast) & set(full)) / max(1, len(full)))
    return {
        "newest_path_queries": newest_path,
        "same_first": same_first,
        "top10_overlap": round(statistics.mean(overlap), 2) if overlap else None,
    }


def _index_bytes(connection) -> int:
    """Return the bytes used by Wagtail's search index tables and their indexes."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # The entries table with its GIN indexes and TOAST data.
            cursor.execute(
                "SELECT SUM(pg_total_relation_size(oid)) FROM pg_class "
                "WHERE relkind = 'r' AND relname = 'wagtailsearch_indexentry'"
            )
            return int(cursor.fetchone()[0] or 0)
        # The entries table, its FTS5 shadow tables and the indexes on them.
        cursor.execute(
            "SELECT SUM(pgsize) FROM dbstat WHERE name IN (SELECT name FROM sqlite_master "
            "WHERE tbl_name LIKE 'wagtailsearch_indexentry%' OR name LIKE "
            "'wagtailsearch_indexentry%')"
        )
        return int(cursor.fetchone()[0] or 0)


def _pg_exists(url: str, name: str) -> bool:
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        return bool(conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone())


def _pg(url: str, sql: str) -> None:
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(sql)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 100_000])
    parser.add_argument("--engines", nargs="+", default=["sqlite", "postgres"])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--pg-url", default="postgres://postgres@127.0.0.1:5432/postgres")
    parser.add_argument(
        "--pg-prefix",
        default="masthead_bench",
        help="PostgreSQL archives are databases named PREFIX_<size> (default masthead_bench)",
    )
    parser.add_argument(
        "--keep",
        metavar="DIR",
        help="keep the archives (SQLite files and a note of each build in DIR, PostgreSQL "
        "databases on the server) and reuse them on the next run instead of rebuilding",
    )
    parser.add_argument(
        "--build-only", action="store_true", help="build the archives, measure no queries"
    )
    parser.add_argument(
        "--no-compare",
        action="store_true",
        help="skip comparing common-word results with the full ranking (slow at 100,000)",
    )
    parser.add_argument(
        "--output",
        metavar="FILE",
        help="also write the rows as JSON to FILE (e.g. bench/results/search-DATE.json)",
    )
    parser.add_argument("--child", nargs=3, metavar=("ENGINE", "SIZE", "DB_URL"))
    parser.add_argument("--built", help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.child:
        engine, size, db_url = args.child
        built = Path(args.built) if args.built else None
        row = child(
            engine, int(size), db_url, args.rounds, built, args.build_only, not args.no_compare
        )
        print(json.dumps(row))
        return

    keep = Path(args.keep) if args.keep else None
    workdir = keep or Path(tempfile.mkdtemp(prefix="masthead-search-bench-"))
    workdir.mkdir(parents=True, exist_ok=True)
    rows = []
    for engine in args.engines:
        for size in args.sizes:
            built = workdir / f"{engine}-{size}.json"
            if engine == "sqlite":
                db_url = f"sqlite:///{workdir / f'bench-{size}.sqlite3'}"
                exists = Path(db_url.removeprefix("sqlite:///")).exists()
            else:
                name = f"{args.pg_prefix}_{size}"
                exists = _pg_exists(args.pg_url, name)
                db_url = args.pg_url.rsplit("/", 1)[0] + f"/{name}"
            if not (keep and exists and built.exists()):
                built.unlink(missing_ok=True)
                if engine == "sqlite":
                    Path(db_url.removeprefix("sqlite:///")).unlink(missing_ok=True)
                else:
                    _pg(args.pg_url, f"DROP DATABASE IF EXISTS {name}")
                    _pg(args.pg_url, f"CREATE DATABASE {name}")
            env = {
                **os.environ,
                "MASTHEAD_DATA_DIR": str(workdir / "data"),
                "DEBUG": "0",
                "DJANGO_SETTINGS_MODULE": "masthead.settings.base",
            }
            print(f"== {engine}, {size:,} stories", file=sys.stderr, flush=True)
            command = [sys.executable, __file__, "--rounds", str(args.rounds)]
            command += ["--child", engine, str(size), db_url]
            if keep:
                command += ["--built", str(built)]
            if args.build_only:
                command.append("--build-only")
            if args.no_compare:
                command.append("--no-compare")
            try:
                out = subprocess.run(
                    command, env=env, cwd=ROOT, check=True, stdout=subprocess.PIPE, text=True
                ).stdout
                rows.append(json.loads(out.strip().splitlines()[-1]))
                print(json.dumps(rows[-1]), file=sys.stderr, flush=True)
            finally:
                if keep is None and engine == "sqlite":
                    Path(db_url.removeprefix("sqlite:///")).unlink(missing_ok=True)
                elif keep is None:
                    _pg(args.pg_url, f"DROP DATABASE IF EXISTS {args.pg_prefix}_{size}")
    if args.build_only:
        return
    if args.output:
        with open("/proc/loadavg") as f:
            load = f.read().split()[:3]
        command = ["bench/search/run.py", *(a if a != str(keep) else "DIR" for a in sys.argv[1:])]
        Path(args.output).write_text(
            json.dumps(
                {
                    "command": " ".join(command),
                    "finished_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
                    "load_average_1_5_15": [float(x) for x in load],
                    "rows": rows,
                },
                indent=2,
            )
            + "\n"
        )

    keys = [
        "engine",
        "stories",
        "generate_s",
        "index_build_s",
        "built_at",
        "index_mb",
        "vocabulary_ms",
        "queries",
        "p50_ms",
        "p95_ms",
        "max_ms",
        "cpu_p50_ms",
        "cpu_p95_ms",
        "load_avg",
        "newest_path_queries",
        "same_first",
        "top10_overlap",
    ]
    print("| " + " | ".join(keys) + " |")
    print("|" + "---|" * len(keys))
    for row in rows:
        print("| " + " | ".join(str(row.get(k, "")) for k in keys) + " |")


if __name__ == "__main__":
    main()
