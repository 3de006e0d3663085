"""Back up a whole site into one archive and restore it exactly.

An archive is a gzipped tar holding ``manifest.json`` (versions, database engine,
SHA-256 and size of every member), the database (an SQLite file made with SQLite's
online backup API, or a ``pg_dump`` custom-format dump), every file under
``MEDIA_ROOT`` and the data folder's generated ``secret_key``.

The archive is written to a temporary name and renamed when complete, so a crash never
leaves a file that looks like a finished backup. A restore unpacks and verifies
everything in a scratch folder first and only then swaps it in: on SQLite the database
file and the media folder are renamed into place (the old ones are put back if anything
fails); on PostgreSQL ``pg_restore --single-transaction`` commits all or nothing.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import io
import json
import os
import platform
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
import zlib
from collections.abc import Callable
from pathlib import Path

from masthead.core.file_modes import make_private

FORMAT_VERSION = 1
MANIFEST = "manifest.json"
SQLITE_MEMBER = "database/masthead.sqlite3"
PG_MEMBER = "database/postgresql.dump"
SECRET_MEMBER = "secret_key"  # noqa: S105 - a file name, not a secret
MEDIA_PREFIX = "media/"
CHUNK = 1 << 20

Progress = Callable[[str], None]


class BackupError(Exception):
    """A backup or restore that cannot go on; the message says why and what to do."""


def _quiet(message: str) -> None:
    pass


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _engine() -> str:
    from django.db import connection

    vendor = connection.vendor
    if vendor not in {"sqlite", "postgresql"}:
        raise BackupError(f"Backups support SQLite and PostgreSQL, not {vendor}.")
    return vendor


def _versions() -> dict:
    from importlib.metadata import PackageNotFoundError, version

    found = {"python": platform.python_version()}
    for name in ("masthead", "django", "wagtail"):
        try:
            found[name] = version(name)
        except PackageNotFoundError:
            found[name] = "unknown"
    return found


def _migrations() -> dict[str, str]:
    from django.db.migrations.recorder import MigrationRecorder

    latest: dict[str, str] = {}
    for app, name in MigrationRecorder.Migration.objects.values_list("app", "name"):
        latest[app] = max(latest.get(app, ""), name)
    return latest


def _counts() -> dict[str, int]:
    from django.contrib.auth import get_user_model
    from wagtail.images import get_image_model
    from wagtail.models import Page, Revision

    return {
        "pages": Page.objects.count(),
        "live_pages": Page.objects.live().count(),
        "revisions": Revision.objects.count(),
        "images": get_image_model().objects.count(),
        "users": get_user_model().objects.count(),
    }


def _pg_env(settings_db: dict) -> tuple[list[str], dict]:
    """Return libpq connection arguments and environment for the pg_* tools."""
    env = os.environ.copy()
    if settings_db.get("PASSWORD"):
        env["PGPASSWORD"] = str(settings_db["PASSWORD"])
    args = []
    if settings_db.get("HOST"):
        args += ["--host", str(settings_db["HOST"])]
    if settings_db.get("PORT"):
        args += ["--port", str(settings_db["PORT"])]
    if settings_db.get("USER"):
        args += ["--username", str(settings_db["USER"])]
    return args, env


def _pg_tool(name: str) -> str:
    path = shutil.which(name)
    if not path:
        raise BackupError(
            f"{name} was not found. Install the PostgreSQL client tools "
            f"(Debian: apt-get install postgresql-client) and run the command again."
        )
    return path


def _dump_sqlite(target: Path) -> None:
    from django.db import connection

    if connection.in_atomic_block:
        # SQLite's backup would wait forever for this connection's own open transaction.
        raise BackupError("A backup cannot be made inside a database transaction.")
    connection.ensure_connection()
    # The online backup API copies a consistent snapshot while the site keeps serving:
    # with WAL, readers and the writer carry on during the copy.
    dest = sqlite3.connect(str(target))
    try:
        connection.connection.backup(dest)
    finally:
        dest.close()


def _dump_postgresql(target: Path) -> None:
    from django.db import connection

    db = connection.settings_dict
    args, env = _pg_env(db)
    # pg_dump reads from one snapshot, so a dump made while serving is consistent.
    command = [
        _pg_tool("pg_dump"),
        *args,
        "--format=custom",
        "--no-owner",
        "--no-privileges",
        "--file",
        str(target),
        db["NAME"],
    ]
    result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    if result.returncode != 0:
        raise BackupError(f"pg_dump failed: {result.stderr.strip()}")


def _media_root() -> Path | None:
    from django.conf import settings
    from django.core.files.storage import FileSystemStorage, default_storage

    if not isinstance(default_storage, FileSystemStorage):
        return None
    return Path(settings.MEDIA_ROOT)


def create_backup(output: Path, progress: Progress = _quiet) -> dict:
    """Write the site's database, media and manifest to ``output``; return the manifest."""
    from django.conf import settings

    engine = _engine()
    output = Path(output).expanduser().resolve()
    if output.exists() and output.is_dir():
        raise BackupError(f"{output} is a folder; give a file name such as site.tar.gz.")
    output.parent.mkdir(parents=True, exist_ok=True)
    files: dict[str, dict] = {}
    media_root = _media_root()
    with tempfile.TemporaryDirectory(prefix=".masthead-backup-", dir=output.parent) as scratch:
        scratch_dir = Path(scratch)
        member = SQLITE_MEMBER if engine == "sqlite" else PG_MEMBER
        dump = scratch_dir / Path(member).name
        progress(f"Copying the {engine} database ...")
        (_dump_sqlite if engine == "sqlite" else _dump_postgresql)(dump)
        partial = scratch_dir / "archive.partial"
        fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as raw, tarfile.open(fileobj=raw, mode="w:gz") as archive:

            def add(path: Path, name: str) -> None:
                files[name] = {"sha256": _sha256(path), "size": path.stat().st_size}
                archive.add(str(path), arcname=name, recursive=False)

            add(dump, member)
            media_files = 0
            if media_root is not None and media_root.exists():
                paths = sorted(p for p in media_root.rglob("*") if p.is_file())
                progress(f"Adding {len(paths)} media files ...")
                for number, path in enumerate(paths, 1):
                    add(path, MEDIA_PREFIX + path.relative_to(media_root).as_posix())
                    if number % 500 == 0:
                        progress(f"  {number}/{len(paths)} media files")
                media_files = len(paths)
            secret = Path(settings.DATA_DIR) / "secret_key"
            if secret.is_file():
                add(secret, SECRET_MEMBER)
            manifest = {
                "format": FORMAT_VERSION,
                "created_at": dt.datetime.now(dt.UTC).isoformat(),
                "versions": _versions(),
                "database": {"engine": engine, "member": member, "migrations": _migrations()},
                "media": {
                    "included": media_root is not None,
                    "files": media_files,
                },
                "counts": _counts(),
                "files": files,
            }
            body = json.dumps(manifest, indent=2, sort_keys=True).encode()
            info = tarfile.TarInfo(MANIFEST)
            info.size = len(body)
            info.mtime = int(dt.datetime.now(dt.UTC).timestamp())
            info.mode = 0o600
            archive.addfile(info, io.BytesIO(body))
        os.replace(partial, output)
    if media_root is None:
        progress("Media are in object storage and are not in this archive: back the bucket up too.")
    progress(f"Backup written to {output} ({output.stat().st_size / 1e6:.1f} MB).")
    return manifest


def _open_archive(path: Path, scratch: Path) -> dict:
    """Unpack ``path`` into ``scratch`` and return its verified manifest."""
    if not path.is_file():
        raise BackupError(f"{path} does not exist or is not a file.")
    broken = (
        f"{path} is not a complete Masthead backup (it is truncated or corrupt). Nothing "
        f"was changed. Use another copy of the backup."
    )
    try:
        with tarfile.open(path, mode="r:gz") as archive:
            archive.extractall(scratch, filter="data")
    except (tarfile.TarError, EOFError, zlib.error, OSError, ValueError) as exc:
        raise BackupError(f"{broken} ({exc})") from None
    try:
        manifest = json.loads((scratch / MANIFEST).read_text())
        files = manifest["files"]
        engine = manifest["database"]["engine"]
    except (OSError, ValueError, KeyError, TypeError):
        raise BackupError(f"{broken} (its manifest is missing or unreadable)") from None
    if manifest.get("format") != FORMAT_VERSION:
        raise BackupError(
            f"{path} is a backup in format {manifest.get('format')!r}; this Masthead reads "
            f"format {FORMAT_VERSION}."
        )
    for name, expected in files.items():
        member = scratch / name
        if not member.is_file():
            raise BackupError(f"{broken} ({name} is missing)")
        if member.stat().st_size != expected["size"] or _sha256(member) != expected["sha256"]:
            raise BackupError(f"{broken} ({name} does not match its checksum)")
    unlisted = (
        {p.relative_to(scratch).as_posix() for p in scratch.rglob("*") if p.is_file()}
        - set(files)
        - {MANIFEST}
    )
    if unlisted:
        raise BackupError(f"{broken} (files not in its manifest: {sorted(unlisted)[:3]})")
    if engine != _engine():
        raise BackupError(
            f"{path} holds a {engine} database but this site uses {_engine()}; restore "
            f"it on a site configured for {engine}."
        )
    return manifest


def site_is_empty() -> bool:
    """Return whether the site has no content: no stories, users or media to lose."""
    from django.contrib.auth import get_user_model
    from django.db import DatabaseError, connection
    from wagtail.models import Page

    media_root = _media_root()
    if media_root and media_root.exists() and any(p.is_file() for p in media_root.rglob("*")):
        return False
    try:
        if "wagtailcore_page" not in connection.introspection.table_names():
            return True
        # A fresh migrate creates the root and one welcome page and no user.
        return Page.objects.count() <= 2 and not get_user_model().objects.exists()
    except DatabaseError:
        return True


def _swap_in_sqlite(new_db: Path, new_media: Path | None, media_root: Path | None) -> None:
    from django.db import connection, connections

    db_path = Path(str(connection.settings_dict["NAME"]))
    connections.close_all()
    check = sqlite3.connect(str(new_db))
    try:
        ok = check.execute("PRAGMA integrity_check").fetchone()[0]
    finally:
        check.close()
    if ok != "ok":
        raise BackupError(f"The database in the backup fails SQLite's integrity check: {ok}")
    if db_path.exists():
        # Fold the write-ahead log into the old file so no stale -wal is applied to the new one.
        old = sqlite3.connect(str(db_path))
        try:
            old.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        finally:
            old.close()
    db_path.parent.mkdir(parents=True, exist_ok=True)
    staged = db_path.with_name(db_path.name + ".restoring")
    shutil.copy2(new_db, staged)
    kept_db = db_path.with_name(db_path.name + ".pre-restore")
    kept_media = media_root.with_name(media_root.name + ".pre-restore") if media_root else None
    for leftover in (kept_db, kept_media):
        if leftover and leftover.exists():
            shutil.rmtree(leftover) if leftover.is_dir() else leftover.unlink()
    moved_db = moved_media = False
    try:
        if db_path.exists():
            os.replace(db_path, kept_db)
            moved_db = True
        for suffix in ("-wal", "-shm"):
            with contextlib.suppress(FileNotFoundError):
                os.unlink(str(db_path) + suffix)
        os.replace(staged, db_path)
        if media_root is not None:
            if media_root.exists():
                os.replace(media_root, kept_media)
                moved_media = True
            if new_media is not None:
                shutil.move(str(new_media), str(media_root))
            else:
                media_root.mkdir(parents=True)
    except BaseException:
        # Put everything back as it was.
        if moved_media and kept_media.exists():
            if media_root.exists():
                shutil.rmtree(media_root)
            os.replace(kept_media, media_root)
        if moved_db:
            os.replace(kept_db, db_path)
        with contextlib.suppress(FileNotFoundError):
            staged.unlink()
        raise
    with contextlib.suppress(FileNotFoundError):
        kept_db.unlink()
    if kept_media and kept_media.exists():
        shutil.rmtree(kept_media)
    # An archive keeps the modes its files had (0644 from older versions): private again.
    make_private(db_path)
    if media_root is not None:
        make_private(media_root)


def _restore_postgresql(dump: Path) -> None:
    from django.db import connection, connections

    db = connection.settings_dict
    connections.close_all()
    args, env = _pg_env(db)
    command = [
        _pg_tool("pg_restore"),
        *args,
        "--single-transaction",
        "--clean",
        "--if-exists",
        "--no-owner",
        "--no-privileges",
        "--exit-on-error",
        "--dbname",
        db["NAME"],
        str(dump),
    ]
    result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    if result.returncode != 0:
        raise BackupError(
            f"pg_restore failed and changed nothing (one transaction): {result.stderr.strip()}"
        )


def _swap_media_only(new_media: Path | None, media_root: Path | None) -> None:
    if media_root is None:
        return
    kept = media_root.with_name(media_root.name + ".pre-restore")
    if kept.exists():
        shutil.rmtree(kept)
    if media_root.exists():
        os.replace(media_root, kept)
    try:
        if new_media is not None:
            shutil.move(str(new_media), str(media_root))
        else:
            media_root.mkdir(parents=True)
    except BaseException:
        if kept.exists():
            if media_root.exists():
                shutil.rmtree(media_root)
            os.replace(kept, media_root)
        raise
    if kept.exists():
        shutil.rmtree(kept)
    make_private(media_root)


def restore_backup(path: Path, *, force: bool = False, progress: Progress = _quiet) -> dict:
    """Replace the site with the one in the backup at ``path``; return its manifest."""
    from django.conf import settings
    from django.core.management import call_command

    from masthead.core import changes, state

    path = Path(path).expanduser().resolve()
    data_dir = Path(settings.DATA_DIR)
    data_dir.mkdir(parents=True, exist_ok=True)
    media_root = _media_root()
    with tempfile.TemporaryDirectory(prefix=".masthead-restore-", dir=data_dir) as scratch:
        scratch_dir = Path(scratch)
        progress(f"Checking {path} ...")
        manifest = _open_archive(path, scratch_dir)
        if not force and not site_is_empty():
            raise BackupError(
                "This site already has content. Restoring would replace all of it; run "
                "the command again with --force if that is what you want (make a backup "
                "of the current site first)."
            )
        new_media = scratch_dir / MEDIA_PREFIX.rstrip("/")
        new_media = new_media if new_media.is_dir() else None
        if media_root is None and manifest["media"]["files"]:
            progress("Media are in object storage here: copy the archive's media/ folder there.")
        progress("Restoring the database and media ...")
        if manifest["database"]["engine"] == "sqlite":
            _swap_in_sqlite(scratch_dir / SQLITE_MEMBER, new_media, media_root)
        else:
            _restore_postgresql(scratch_dir / PG_MEMBER)
            _swap_media_only(new_media, media_root)
        secret = scratch_dir / SECRET_MEMBER
        if secret.is_file() and not os.environ.get("SECRET_KEY"):
            shutil.copy2(secret, data_dir / "secret_key")
            os.chmod(data_dir / "secret_key", 0o600)
    # A backup from an older Masthead is brought up to this version's schema.
    call_command("migrate", interactive=False, verbosity=0)
    # Cached pages and shared state describe the site that was replaced; only Masthead's
    # keys go, whatever else shares the Redis database.
    state.clear(("default", state.ALIAS))
    changes.changed("restored")
    counts = manifest.get("counts", {})
    progress(
        f"Restored {counts.get('pages', '?')} pages, {counts.get('revisions', '?')} revisions "
        f"and {manifest['media']['files']} media files from a backup made "
        f"{manifest['created_at']}."
    )
    return manifest
