"""Index build speed: Wagtail's backend (add_bulk in batches) against masthead.search.bulk_index.

    DATABASE_URL=sqlite:///DIR/bench-20000.sqlite3 DJANGO_SETTINGS_MODULE=masthead.settings.base \\
        .venv/bin/python bench/search/index_speed.py --stories 20000
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/search_bench_speed ... --stories 20000

Generates ``--stories`` stories if the database has none, then for each way, in the
order given by ``--ways``, empties the index and rebuilds it from scratch, printing
wall seconds, this process's CPU seconds, the PostgreSQL server process's CPU
seconds (read from /proc, so only for a server on this machine) and the load average. The index is rebuilt
by the last way, so the archive stays usable. Compare the rows of one run.
"""

import argparse
import os
import time

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "masthead.settings.base")


def backend_build(batch: int) -> None:
    from django.db import transaction
    from wagtail.search.backends import get_search_backend

    from masthead.articles.models import ArticlePage
    from masthead.search.bulk_index import RELATIONS

    backend = get_search_backend()
    stories = ArticlePage.objects.order_by("pk").prefetch_related(*RELATIONS)
    ids = list(stories.values_list("pk", flat=True))
    for start in range(0, len(ids), batch):
        chunk = list(stories.filter(pk__in=ids[start : start + batch]))
        with transaction.atomic():
            backend.add_bulk(ArticlePage, chunk)


def bulk_build(batch: int) -> None:
    from masthead.articles.models import ArticlePage
    from masthead.search.bulk_index import index_pages

    index_pages(ArticlePage.objects.values_list("pk", flat=True), batch=batch)


def server_cpu(connection) -> float:
    """CPU seconds used so far by this connection's PostgreSQL server process (0 on SQLite)."""
    if connection.vendor != "postgresql":
        return 0.0
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    try:
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
    except OSError:  # a server on another machine
        return float("nan")
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stories", type=int, default=20_000)
    parser.add_argument("--batch", type=int, default=1000)
    parser.add_argument("--ways", nargs="+", default=["backend", "bulk"])
    args = parser.parse_args()

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from modelsearch.conf import get_app_config

    from masthead.articles.models import ArticlePage
    from masthead.demo.archive import generate_archive

    call_command("migrate", verbosity=0)
    if not ArticlePage.objects.exists():
        generate_archive(args.stories, seed=7, progress=True)
    entries = get_app_config().get_model("IndexEntry")
    count = ArticlePage.objects.count()
    print(f"{connection.vendor}, {count:,} stories, batches of {args.batch}")
    builds = {"backend": backend_build, "bulk": bulk_build}
    for way in args.ways:
        entries.objects.all()._raw_delete(entries.objects.db)
        with connection.cursor() as cursor:
            cursor.execute("VACUUM" if connection.vendor == "sqlite" else "VACUUM ANALYZE")
        wall, cpu, server = time.perf_counter(), time.process_time(), server_cpu(connection)
        builds[way](args.batch)
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
        server = server_cpu(connection) - server
        load = os.getloadavg()[0]
        print(
            f"{way:8} wall {wall:7.1f} s  cpu {cpu:7.1f} s  server cpu {server:7.1f} s  "
            f"{count / wall:6.0f} stories/s  "
            f"entries {entries.objects.count():,}  load {load:.1f}",
            flush=True,
        )


if __name__ == "__main__":
    main()
