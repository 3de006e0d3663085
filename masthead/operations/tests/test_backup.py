"""`masthead backup` and `masthead restore`: an identical site, or a clear refusal.

The round trips run the real command line in fresh processes against data folders on
disk; the refusals run in-process against pytest's database, which they must not touch.
"""

import gzip
import io
import json
import os
import subprocess
import sys
import tarfile
from pathlib import Path

import pytest
from django.conf import settings

from masthead.articles.models import ArticlePage
from masthead.operations import backup
from masthead.operations.backup import BackupError, create_backup, restore_backup

POSTGRES = "postgres://postgres@127.0.0.1:5432"


def _run(args: list[str], data: Path, database_url: str | None = None, check: bool = True):
    env = {
        **os.environ,
        "MASTHEAD_DATA_DIR": str(data),
        "ALLOWED_HOSTS": "testserver",
        "DJANGO_SETTINGS_MODULE": "masthead.settings.demo",
    }
    env.pop("DATABASE_URL", None)
    env.pop("REDIS_URL", None)
    if database_url:
        env["DATABASE_URL"] = database_url
    result = subprocess.run(
        [sys.executable, *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    if check:
        assert result.returncode == 0, result.stderr[-3000:]
    return result


def _round_trip(tmp_path: Path, source_url: str | None = None, target_url: str | None = None):
    source, target = tmp_path / "source", tmp_path / "target"
    archive = tmp_path / "site.tar.gz"
    _run(["-m", "masthead.operations.tests.site_copy", "build"], source, source_url)
    _run(
        ["-m", "masthead.operations.tests.site_copy", "snapshot", str(tmp_path / "before.json")],
        source,
        source_url,
    )
    made = _run(["-m", "masthead.cli", "backup", "--output", str(archive)], source, source_url)
    assert "Backup written to" in made.stdout
    restored = _run(["-m", "masthead.cli", "restore", str(archive)], target, target_url)
    assert "Restored" in restored.stdout
    _run(
        ["-m", "masthead.operations.tests.site_copy", "snapshot", str(tmp_path / "after.json")],
        target,
        target_url,
    )
    before = json.loads((tmp_path / "before.json").read_text())
    after = json.loads((tmp_path / "after.json").read_text())
    # Every kind of public surface was requested, and all of them answered.
    paths = set(before)
    for prefix in (
        "/news/story-",
        "/analysis/",
        "/topics/",
        "/authors/",
        "/feeds/",
        "/sitemap",
        "/search/",
        "/media/images/",
        "/robots.txt",
    ):
        assert any(p.startswith(prefix) for p in paths), prefix
    assert all(entry["status"] == 200 for entry in before.values())
    assert "/news/draft-story/" not in paths
    assert len(before) > 60
    assert after == before
    return source, target, archive


@pytest.mark.slow
def test_restore_rebuilds_an_identical_site_on_sqlite(tmp_path):
    source, target, archive = _round_trip(tmp_path)
    # The target now has content: a second restore is refused without --force ...
    refused = _run(["-m", "masthead.cli", "restore", str(archive)], target, check=False)
    assert refused.returncode == 2
    assert "already has content" in refused.stderr
    assert "Traceback" not in refused.stderr
    # ... and allowed with it.
    _run(["-m", "masthead.cli", "restore", "--force", str(archive)], target)
    # The source was built outside the command line (files 0644, as older versions made
    # them); the archive and everything the restore wrote are private to the user.
    from masthead.core.file_modes import open_to_others

    assert os.stat(archive).st_mode & 0o777 == 0o600
    assert open_to_others(source), "the source should show the old, open modes"
    assert open_to_others(target) == []
    media = [p for p in (target / "media").rglob("*") if p.is_file()]
    assert media and all(p.stat().st_mode & 0o777 == 0o600 for p in media)


@pytest.mark.slow
@pytest.mark.postgres
def test_restore_rebuilds_an_identical_site_on_postgres(tmp_path):
    psycopg = pytest.importorskip("psycopg")
    try:
        admin = psycopg.connect(f"{POSTGRES}/test", autocommit=True, connect_timeout=3)
    except psycopg.OperationalError as exc:
        pytest.skip(f"PostgreSQL is not reachable at 127.0.0.1:5432: {exc}")
    names = [f"masthead_backup_{kind}_{os.getpid()}" for kind in ("source", "target")]
    try:
        for name in names:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
            admin.execute(f'CREATE DATABASE "{name}"')
        _round_trip(tmp_path, f"{POSTGRES}/{names[0]}", f"{POSTGRES}/{names[1]}")
    finally:
        for name in names:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()


# In-process refusals: each leaves pytest's database exactly as it was.


@pytest.fixture
def archive(newsroom, tmp_path, monkeypatch) -> Path:
    """Return a backup of the test site whose database member is a small stand-in.

    SQLite cannot copy pytest's in-memory database from inside the test's own open
    transaction; the real copy is covered by the round trips above.
    """
    import sqlite3

    def stand_in(target):
        db = sqlite3.connect(target)
        db.execute("CREATE TABLE stand_in (x)")
        db.commit()
        db.close()

    def pg_stand_in(target):
        Path(target).write_bytes(b"PGDMP stand-in")

    # These tests check what restore refuses; the real copies are the round trips above.
    monkeypatch.setattr("masthead.operations.backup._dump_sqlite", stand_in)
    monkeypatch.setattr("masthead.operations.backup._dump_postgresql", pg_stand_in)
    (Path(settings.MEDIA_ROOT) / "original_images").mkdir(parents=True, exist_ok=True)
    (Path(settings.MEDIA_ROOT) / "original_images" / "kept.jpg").write_bytes(b"\xff\xd8 photo")
    path = tmp_path / "site.tar.gz"
    manifest = create_backup(path)
    assert manifest["counts"]["live_pages"] >= 10
    assert manifest["database"]["engine"] == backup._engine()
    assert any(name.startswith("media/") for name in manifest["files"])
    return path


def _rewrite(source: Path, target: Path, change) -> None:
    """Copy an archive member by member, letting ``change(name, data)`` alter the data."""
    with tarfile.open(source, "r:gz") as old, tarfile.open(target, "w:gz") as new:
        for member in old.getmembers():
            data = old.extractfile(member).read()
            data = change(member.name, data)
            member.size = len(data)
            new.addfile(member, io.BytesIO(data))


@pytest.mark.django_db
def test_restore_refuses_a_site_with_content_without_force(archive, newsroom):
    before = ArticlePage.objects.count()
    with pytest.raises(BackupError, match="already has content.*--force"):
        restore_backup(archive)
    assert ArticlePage.objects.count() == before


@pytest.mark.django_db
def test_restore_refuses_a_truncated_archive(archive, newsroom, tmp_path):
    cut = tmp_path / "cut.tar.gz"
    cut.write_bytes(archive.read_bytes()[: archive.stat().st_size // 2])
    with pytest.raises(BackupError, match="truncated or corrupt"):
        restore_backup(cut, force=True)
    assert ArticlePage.objects.count() == len(newsroom.stories)


@pytest.mark.django_db
def test_restore_refuses_garbage_and_a_missing_file(newsroom, tmp_path):
    junk = tmp_path / "junk.tar.gz"
    junk.write_bytes(gzip.compress(b"this is not a tar archive" * 100))
    with pytest.raises(BackupError, match="truncated or corrupt"):
        restore_backup(junk, force=True)
    with pytest.raises(BackupError, match="does not exist"):
        restore_backup(tmp_path / "nowhere.tar.gz", force=True)
    assert ArticlePage.objects.count() == len(newsroom.stories)


@pytest.mark.django_db
def test_restore_refuses_a_member_that_fails_its_checksum(archive, newsroom, tmp_path):
    tampered = tmp_path / "tampered.tar.gz"

    def flip(name, data):
        if name.startswith("media/original_images/"):
            return data[:-1] + bytes([data[-1] ^ 0xFF])
        return data

    _rewrite(archive, tampered, flip)
    with pytest.raises(BackupError, match="does not match its checksum"):
        restore_backup(tampered, force=True)
    assert ArticlePage.objects.count() == len(newsroom.stories)


@pytest.mark.django_db
def test_restore_refuses_an_archive_without_a_manifest(archive, newsroom, tmp_path):
    stripped = tmp_path / "stripped.tar.gz"
    with tarfile.open(archive, "r:gz") as old, tarfile.open(stripped, "w:gz") as new:
        for member in old.getmembers():
            if member.name != "manifest.json":
                new.addfile(member, old.extractfile(member))
    with pytest.raises(BackupError, match="manifest is missing"):
        restore_backup(stripped, force=True)


def test_cli_reports_a_bad_archive_without_a_traceback(tmp_path):
    junk = tmp_path / "junk.tar.gz"
    junk.write_bytes(b"\x1f\x8b not really gzip")
    result = _run(["-m", "masthead.cli", "restore", str(junk)], tmp_path / "data", check=False)
    assert result.returncode == 2
    assert "not a complete Masthead backup" in result.stderr
    assert "Traceback" not in result.stderr
