"""Drive a worker in another process against a migrated site on disk.

    python -m masthead.background.tests.process enqueue TASK [JSON_ARG ...]
    python -m masthead.background.tests.process status TASK_ID

with ``MASTHEAD_DATA_DIR`` naming the site (``DATABASE_URL`` for PostgreSQL).
"""

import json
import os
import subprocess
import sys
from pathlib import Path


def environment(data: Path, database_url: str | None = None) -> dict:
    env = {
        **os.environ,
        "MASTHEAD_DATA_DIR": str(data),
        "ALLOWED_HOSTS": "testserver",
        "SECRET_KEY": "worker-test-secret",
        "DJANGO_SETTINGS_MODULE": "masthead.settings.demo",
        "MASTHEAD_WORKER_INTERVAL": "1",
    }
    env.pop("DATABASE_URL", None)
    env.pop("REDIS_URL", None)
    if database_url:
        env["DATABASE_URL"] = database_url
    return env


def run(args: list[str], data: Path, database_url: str | None = None) -> str:
    """Run ``python ARGS`` against the site in ``data``; return its last output line."""
    result = subprocess.run(
        [sys.executable, *args],
        env=environment(data, database_url),
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    lines = result.stdout.strip().splitlines()
    return lines[-1] if lines else ""


def migrated(data: Path, database_url: str | None = None) -> Path:
    run(["-m", "masthead.cli", "manage", "migrate", "-v0"], data, database_url)
    return data


def main(argv: list[str]) -> None:
    import django

    django.setup()
    from django_tasks_db.models import DBTaskResult

    from . import tasks

    command, *rest = argv
    if command == "enqueue":
        name, *args = rest
        result = getattr(tasks, name).enqueue(*(json.loads(a) for a in args))
        sys.stdout.write(f"{result.id}\n")
    elif command == "status":
        row = DBTaskResult.objects.get(pk=rest[0])
        sys.stdout.write(
            json.dumps({"status": row.status, "return_value": row.return_value}) + "\n"
        )


if __name__ == "__main__":
    main(sys.argv[1:])
