"""200 concurrent readers on a real database: no lost and no doubled counts.

Each check runs ``bench.discovery.loadcheck`` in a fresh process, because the test
database of pytest-django is an in-memory SQLite that threads cannot share safely.
"""

import ast
import subprocess
import sys
from pathlib import Path

import psycopg
import pytest

POSTGRES_URL = "postgres://postgres@127.0.0.1:5432/test"


def _loadcheck(*args: str) -> dict:
    completed = subprocess.run(
        [sys.executable, "-m", "bench.discovery.loadcheck", *args],
        cwd=Path(__file__).resolve().parents[3],  # the checkout: bench/ is not installed
        capture_output=True,
        text=True,
        timeout=600,
    )
    lines = completed.stdout.strip().splitlines()
    assert lines, completed.stderr[-2000:]
    return ast.literal_eval(lines[-1])


@pytest.mark.slow
def test_concurrent_readers_count_exactly_once_on_sqlite():
    result = _loadcheck("--readers", "200")
    assert result["engine"] == "sqlite"
    assert result["error_count"] == 0, result["errors"]
    assert result["stored"] == result["expected"] == result["digests"] == 160


@pytest.mark.slow
@pytest.mark.postgres
def test_concurrent_readers_count_exactly_once_on_postgres():
    try:
        psycopg.connect(POSTGRES_URL, connect_timeout=3).close()
    except psycopg.OperationalError as exc:
        pytest.skip(f"PostgreSQL is not reachable at 127.0.0.1:5432: {exc}")
    result = _loadcheck("--readers", "200", "--connections", "40", "--database-url", POSTGRES_URL)
    assert result["engine"] == "postgresql"
    assert result["error_count"] == 0, result["errors"]
    assert result["stored"] == result["expected"] == result["digests"] == 160
