"""Where the outside test corpora live: ``tests/data`` in this checkout (see its README)."""

from pathlib import Path

DATA = Path(__file__).resolve().parent / "data"
