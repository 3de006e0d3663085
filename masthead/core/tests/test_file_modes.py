"""The data folder is private to the service user, and `masthead serve` checks it (issue 22, 3)."""

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage

from masthead.core.file_modes import make_private, open_to_others

KEY = "a-test-secret-key-that-is-long-enough-for-django-checks-0123456789"


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def _masthead(*args: str, data: Path, **env) -> subprocess.CompletedProcess:
    environment = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "MASTHEAD_"))},
        "MASTHEAD_DATA_DIR": str(data),
        "ALLOWED_HOSTS": "127.0.0.1",
        **env,
    }
    environment.pop("DATABASE_URL", None)
    environment.pop("REDIS_URL", None)
    return subprocess.run(
        [sys.executable, "-m", "masthead.cli", *args],
        env=environment,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
        # A permissive umask, as a service manager might give: the command sets its own.
        preexec_fn=lambda: os.umask(0o022),
    )


@pytest.fixture(scope="module")
def migrated(tmp_path_factory) -> Path:
    data = tmp_path_factory.mktemp("modes") / "new" / "data"
    result = _masthead("manage", "migrate", "-v0", data=data)
    assert result.returncode == 0, result.stderr[-2000:]
    result = _masthead(
        "manage",
        "shell",
        "-c",
        "from masthead.core import state; state.incr('k')",
        data=data,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    return data


# Writes through Django's connection (WAL mode, settings.env) and prints the modes of the
# -wal and -shm files while the connection that made them is still open.
SIDECARS = """
import os, stat
from django.db import connection
with connection.cursor() as cursor:
    cursor.execute("CREATE TABLE masthead_mode_probe (x integer)")
    cursor.execute("DROP TABLE masthead_mode_probe")
name = connection.settings_dict["NAME"]
for suffix in ("-wal", "-shm"):
    print(suffix, oct(stat.S_IMODE(os.stat(f"{name}{suffix}").st_mode)))
"""


def test_a_new_data_folder_and_everything_in_it_are_private(migrated):
    result = _masthead("manage", "shell", "-c", SIDECARS, data=migrated)
    assert result.returncode == 0, result.stderr[-2000:]
    assert _mode(migrated) == 0o700
    database = migrated / "masthead.sqlite3"
    assert _mode(database) == 0o600
    assert _mode(migrated / "secret_key") == 0o600
    # SQLite removes -wal and -shm when the last connection closes: look while one is open.
    assert result.stdout.split()[-4:] == ["-wal", "0o600", "-shm", "0o600"], result.stdout
    # The shared state store (diskcache's SQLite files) and the page cache, if any.
    store_files = [p for name in ("state", "cache") for p in (migrated / name).rglob("*")]
    assert store_files
    assert all(_mode(p) in (0o600, 0o700) for p in store_files), [
        (p, oct(_mode(p))) for p in store_files
    ]
    assert open_to_others(migrated) == []


def test_uploads_are_private(settings, tmp_path):
    storage = FileSystemStorage(location=tmp_path / "media")
    name = storage.save("documents/sub/budget.txt", ContentFile(b"lines"))
    assert _mode(tmp_path / "media" / name) == settings.FILE_UPLOAD_PERMISSIONS == 0o600
    assert _mode(tmp_path / "media" / "documents" / "sub") == 0o700


def test_serve_refuses_a_world_readable_database(migrated):
    database = migrated / "masthead.sqlite3"
    database.chmod(0o644)
    try:
        result = _masthead("serve", "--port", "8", data=migrated, SECRET_KEY=KEY)
    finally:
        database.chmod(0o600)
    assert result.returncode == 2
    assert "can be read by other users" in result.stderr
    assert f"{database} (mode 0644)" in result.stderr
    assert "chmod -R go-rwx" in result.stderr
    assert "Traceback" not in result.stderr


def test_serve_refuses_an_open_data_folder_and_starts_past_the_check_once_private(migrated):
    migrated.chmod(0o755)
    try:
        refused = _masthead("serve", "--port", "8", data=migrated, SECRET_KEY=KEY)
    finally:
        migrated.chmod(0o700)
    assert refused.returncode == 2 and f"{migrated} (mode 0755)" in refused.stderr
    # Private again: the next check (no SECRET_KEY in production) is what stops it.
    result = _masthead("serve", "--port", "8", data=migrated)
    assert "can be read by other users" not in result.stderr
    assert "SECRET_KEY" in result.stderr


def test_make_private_fixes_a_tree(tmp_path):
    tree = tmp_path / "media"
    (tree / "images").mkdir(parents=True, mode=0o755)
    (tree / "images" / "a.jpg").write_bytes(b"x")
    (tree / "images" / "a.jpg").chmod(0o644)
    tree.chmod(0o755)
    make_private(tree)
    assert _mode(tree) == _mode(tree / "images") == 0o700
    assert _mode(tree / "images" / "a.jpg") == 0o600
