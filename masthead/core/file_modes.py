"""Keep the data folder private to the service user: 0700 folders, 0600 files.

The SQLite database holds sessions and password hashes; the secret key signs sessions.
Anything another local user can read there lets them take over an admin session. Every
``masthead`` command sets the umask ``PRIVATE_UMASK`` before it writes anything, so the
database and SQLite's -wal and -shm files (which copy the database's mode), the file
cache, backups and restores are created private; uploads get ``FILE_UPLOAD_PERMISSIONS``.
``masthead serve`` refuses to start when ``open_to_others`` finds something readable by
others. Standard library only: the command line uses it before Django is set up.
"""

import os
import stat
from collections.abc import Iterable
from pathlib import Path

PRIVATE_UMASK = 0o077
PRIVATE_DIR = 0o700
PRIVATE_FILE = 0o600
# Collected static files are the site's public CSS and scripts, served to everyone anyway.
PUBLIC_CHILDREN = {"static"}


def use_private_umask() -> None:
    """Make every file this process creates from now on private to its user."""
    os.umask(PRIVATE_UMASK)


def make_private(path: Path) -> None:
    """Set ``path`` (and, for a folder, everything below it) to 0700 folders and 0600 files."""
    path = Path(path)
    if not path.exists() or path.is_symlink():
        return
    if path.is_file():
        path.chmod(PRIVATE_FILE)
        return
    path.chmod(PRIVATE_DIR)
    for folder, folders, files in os.walk(path):
        for name in folders:
            os.chmod(os.path.join(folder, name), PRIVATE_DIR)
        for name in files:
            target = os.path.join(folder, name)
            if not os.path.islink(target):
                os.chmod(target, PRIVATE_FILE)


def open_to_others(data_dir: Path, extra: Iterable[Path] = ()) -> list[tuple[Path, int]]:
    """Return the paths (with their modes) that other users may read, write or enter.

    Looks at the data folder, each thing directly inside it (the database and its -wal
    and -shm files, the secret key, the media, cache and backup folders) and ``extra``
    (a media folder elsewhere); not at every upload, so it stays quick for large sites.
    """
    data_dir = Path(data_dir)
    candidates = [data_dir]
    if data_dir.is_dir():
        candidates += sorted(
            child for child in data_dir.iterdir() if child.name not in PUBLIC_CHILDREN
        )
    candidates += [Path(p) for p in extra]
    found = []
    for path in candidates:
        try:
            mode = stat.S_IMODE(path.lstat().st_mode)
        except FileNotFoundError:
            continue
        if path.is_symlink():
            continue
        if mode & 0o077:
            found.append((path, mode))
    return found


def refusal_message(found: list[tuple[Path, int]], data_dir: Path) -> str:
    """Return the message ``masthead serve`` stops with when ``found`` is not empty."""
    listed = "\n".join(f"  {path} (mode {mode:04o})" for path, mode in found[:20])
    more = f"\n  ... and {len(found) - 20} more" if len(found) > 20 else ""
    return (
        "These files can be read by other users of this machine, and hold sessions, "
        f"password hashes or the secret key:\n{listed}{more}\n"
        f"Make them private to this user, then start again:\n  chmod -R go-rwx '{data_dir}'"
    )
