"""Count views from many concurrent readers on a real database and check the totals.

Run: ``python -m bench.discovery.loadcheck [--database-url URL] [--readers 200]``.
Without a URL it uses a fresh SQLite file; with a PostgreSQL URL it creates and then
drops a scratch database on that server. Each reader is a thread with its own
connection that requests the counting pixel twice (the second must not count); some
readers share an address and user agent with another (they must count once).
With ``--connections N`` at most N readers hold a database connection at once
(PostgreSQL's connection limit is below 200). Prints one line and exits 1 if any count is lost or doubled.
"""

import argparse
import os
import sys
import tempfile
import threading
import time
from pathlib import Path


def _scratch_postgres(url: str) -> tuple[str, callable]:
    import psycopg

    name = f"masthead_loadcheck_{os.getpid()}"
    admin = psycopg.connect(url, autocommit=True)
    admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
    admin.execute(f'CREATE DATABASE "{name}"')
    base = url.rsplit("/", 1)[0]

    def drop():
        from django.db import connections

        connections.close_all()
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()

    return f"{base}/{name}", drop


def run(database_url: str | None, readers: int = 200, connections: int = 0) -> dict:
    """Return expected and stored counts after ``readers`` concurrent readers."""
    cleanup = None
    if database_url and database_url.startswith("postgres"):
        database_url, cleanup = _scratch_postgres(database_url)
    elif not database_url:
        folder = Path(tempfile.mkdtemp(prefix="masthead-loadcheck-"))
        database_url = f"sqlite:///{folder / 'db.sqlite3'}"
    os.environ["MASTHEAD_TEST_DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "masthead.settings.test")
    import django

    django.setup()
    from django.conf import settings

    settings.ALLOWED_HOSTS = ["*"]
    try:
        return _run(readers, connections or readers)
    finally:
        if cleanup:
            cleanup()


def _run(readers: int, connections: int) -> dict:
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from wagtail.models import Page

    from masthead.articles.factories import ArticlePageFactory
    from masthead.discovery.counter import make_token
    from masthead.discovery.models import ArticleView, ReaderSeen
    from masthead.sections.factories import HomePageFactory, SectionPageFactory

    call_command("migrate", verbosity=0)
    home = HomePageFactory(parent=Page.get_first_root_node(), title="Load", slug="load")
    section = SectionPageFactory(parent=home, title="News", slug="news")
    story = ArticlePageFactory(parent=section, live=True, slug="story")
    url = f"/discovery/seen/{make_token(story.pk)}.gif"
    connection.close()

    # Every fifth reader reuses the address and agent of the reader before it.
    identities = []
    for n in range(readers):
        if n % 5 == 4:
            identities.append(identities[-1])
        else:
            identities.append((f"10.{n // 250}.{n % 250}.7", f"Mozilla/5.0 reader {n}"))
    expected = len(set(identities))
    barrier = threading.Barrier(readers)
    # A server holds a bounded pool of connections (PostgreSQL allows about 100 in
    # all); readers beyond it wait for a connection, as behind a real worker pool.
    pool = threading.BoundedSemaphore(connections)
    errors = []

    def reader(address: str, agent: str) -> None:
        client = Client(REMOTE_ADDR=address, HTTP_USER_AGENT=agent)
        try:
            barrier.wait(timeout=60)
            with pool:
                for _ in range(2):
                    response = client.get(url)
                    if response.status_code != 200:
                        errors.append(response.status_code)
                connection.close()
        except Exception as exc:  # reported, not raised, so every thread finishes
            errors.append(repr(exc))

    threads = [threading.Thread(target=reader, args=identity) for identity in identities]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    stored = sum(ArticleView.objects.filter(article=story).values_list("views", flat=True))
    digests = ReaderSeen.objects.count()
    connection.close()
    return {
        "engine": connection.vendor,
        "readers": readers,
        "connections": connections,
        "requests": readers * 2,
        "expected": expected,
        "stored": stored,
        "digests": digests,
        "errors": errors[:5],
        "error_count": len(errors),
        "seconds": round(elapsed, 2),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default="")
    parser.add_argument("--readers", type=int, default=200)
    parser.add_argument(
        "--connections",
        type=int,
        default=0,
        help="Database connections at once (default: one per reader).",
    )
    args = parser.parse_args()
    result = run(args.database_url or None, args.readers, args.connections)
    print(result)
    ok = result["stored"] == result["expected"] == result["digests"] and not result["errors"]
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
