"""Where the public test corpora live: ``../shared/data`` beside the project checkout.

``MASTHEAD_SHARED_DATA`` points elsewhere; callers skip their corpus-based checks
cleanly when the folder is absent.
"""

import os
from pathlib import Path

CHECKOUT = Path(__file__).resolve().parents[2]


def shared_data_dir() -> Path:
    """Return the folder of shared test corpora (which may not exist)."""
    return Path(os.environ.get("MASTHEAD_SHARED_DATA", CHECKOUT.parent / "shared" / "data"))
