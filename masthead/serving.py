"""How many request threads and database connections `masthead serve` may use.

Every request thread may hold one database connection while it runs, so one server
needs up to ``workers x threads`` connections, plus one for its scheduler and two for its
background worker (its loop and its heartbeat thread). Each worker
keeps them in a pool of ``threads`` connections (Django's psycopg pool, production
settings): a request returns its connection when it ends, whatever becomes of the thread,
and a request that finds the pool empty waits ``MASTHEAD_DB_WAIT_SECONDS``, then gets a
503 with ``Retry-After`` (masthead.core.views.server_error) instead of opening one more.

The whole site must fit in what PostgreSQL accepts::

    servers x (workers x threads + 3)  <=  max_connections - superuser_reserved_connections
                                           - other clients (psql, backups, cron jobs)

`masthead serve` checks its own share at start-up against what the database has left and
refuses to start when it does not fit (docs/deployment.md, "Database connections").
Behind pgbouncer, ``MASTHEAD_DB_MAX_CONNECTIONS`` gives the limit to check against instead.
"""

import os
from dataclasses import dataclass

from masthead.settings.env import DEFAULT_THREADS, env_int

# The background worker's loop and its heartbeat thread (masthead.background.worker).
BACKGROUND_CONNECTIONS = 2


class CapacityError(Exception):
    """The server's share of database connections does not fit; the message says why."""


def threads_from_environment() -> int:
    """Return the request threads per worker: ``MASTHEAD_THREADS`` or the default, 4."""
    threads = env_int("MASTHEAD_THREADS", DEFAULT_THREADS)
    if threads < 1:
        raise CapacityError(f"MASTHEAD_THREADS={threads} must be 1 or more.")
    return threads


def connections_needed(
    workers: int, threads: int, scheduler: bool, background: bool = False
) -> int:
    """Return the most database connections one server opens at once.

    The scheduler holds one; the background worker (newsletters, webhooks) two: its loop
    and the heartbeat thread that marks it alive while a long task runs (both were seen
    connected at once under load: bench/perf/capacity.py, 11 sessions for 2 x 4 + 1 + 1).
    """
    return (
        workers * threads + (1 if scheduler else 0) + (BACKGROUND_CONNECTIONS if background else 0)
    )


@dataclass(frozen=True)
class DatabaseCapacity:
    """What the database allows, read at start-up."""

    max_connections: int
    reserved: int
    in_use: int
    declared: bool = False  # max_connections came from MASTHEAD_DB_MAX_CONNECTIONS

    @property
    def available(self) -> int:
        return self.max_connections - self.reserved - self.in_use


def read_capacity() -> DatabaseCapacity | None:
    """Return the database's connection limits, or None when it is not PostgreSQL.

    ``in_use`` counts the other clients connected now (other app servers, psql), not
    this check's own connection.
    """
    from django.db import connection

    if connection.vendor != "postgresql":
        return None
    declared = env_int("MASTHEAD_DB_MAX_CONNECTIONS", 0)
    with connection.cursor() as cursor:
        if declared:
            # pgbouncer (or a managed database's own limit): the server's counts say
            # nothing about how many clients the pooler accepts.
            return DatabaseCapacity(declared, 0, 0, declared=True)
        cursor.execute(
            "SELECT current_setting('max_connections')::int,"
            " current_setting('superuser_reserved_connections')::int,"
            " (SELECT count(*) FROM pg_stat_activity"
            "  WHERE backend_type = 'client backend' AND pid <> pg_backend_pid())"
        )
        max_connections, reserved, in_use = cursor.fetchone()
    return DatabaseCapacity(max_connections, reserved, in_use)


def check_capacity(workers: int, threads: int, scheduler: bool, background: bool = False) -> str:
    """Return the start-up line about database connections, or raise CapacityError."""
    from django.db import connection
    from django.db.utils import DatabaseError

    needed = connections_needed(workers, threads, scheduler, background)
    try:
        capacity = read_capacity()
    except DatabaseError as exc:
        raise CapacityError(
            f"The database cannot be reached to check its connection limit: "
            f"{str(exc).strip().splitlines()[0]}"
        ) from None
    finally:
        connection.close()
    formula = (
        f"{workers} workers x {threads} threads"
        + (" + 1 scheduler" if scheduler else "")
        + (f" + {BACKGROUND_CONNECTIONS} for the background worker" if background else "")
    )
    if capacity is None:
        return f"Database: SQLite ({formula}; no connection limit)."
    if capacity.declared:
        limit = f"MASTHEAD_DB_MAX_CONNECTIONS={capacity.max_connections}"
    else:
        limit = (
            f"max_connections {capacity.max_connections} - {capacity.reserved} reserved"
            f" - {capacity.in_use} in use by other clients"
        )
    if needed > capacity.available:
        raise CapacityError(
            f"This server may need {needed} database connections ({formula}) but the "
            f"database has {capacity.available} left ({limit}). Lower --workers or "
            f"--threads (MASTHEAD_THREADS), raise PostgreSQL's max_connections, or put "
            f"pgbouncer in front (docs/deployment.md, 'Database connections')."
        )
    return (
        f"Database connections: up to {needed} ({formula}) of {capacity.available} "
        f"available ({limit})."
    )


def export_threads(threads: int) -> None:
    """Tell the worker processes (which read settings afresh) their thread count."""
    os.environ["MASTHEAD_THREADS"] = str(threads)
