"""Copy the suite's migrated SQLite database into a data folder (see ``migrated_sqlite``
in the root conftest): a test that starts a server or a command-line run on a folder
of its own skips a migration of 40 s, unless migrating is what it tests."""

import sqlite3
from pathlib import Path


def place(migrated: Path, data: Path) -> Path:
    """Copy ``migrated`` in as the database of the data folder ``data``; return ``data``."""
    data.mkdir(parents=True, exist_ok=True)
    source = sqlite3.connect(migrated)
    destination = sqlite3.connect(data / "masthead.sqlite3")
    source.backup(destination)
    source.close()
    destination.close()
    (data / "masthead.sqlite3").chmod(0o600)
    return data
