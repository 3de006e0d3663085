"""Processes forked from a test, for checks of what several processes share.

A forked child inherits the test process's open database connection: the same socket
to PostgreSQL. A child that uses it, or ends it as it exits, breaks the parent's
session ("server closed the connection unexpectedly" in the next test of that process,
seen in the PostgreSQL run). :func:`pool` gives each child connections of its own and
leaves the inherited ones untouched.
"""

import multiprocessing

_inherited: list = []


def _own_connections() -> None:
    from django.db import connections

    for connection in connections.all(initialized_only=True):
        if connection.vendor == "sqlite":
            continue  # a file or this process's memory, not a shared socket
        if connection.connection is not None:
            # Kept referenced, never closed: closing would end the parent's session.
            _inherited.append(connection.connection)
            connection.connection = None


def pool(processes: int):
    """Return a fork ``multiprocessing`` pool whose children open their own connections."""
    return multiprocessing.get_context("fork").Pool(processes, initializer=_own_connections)
