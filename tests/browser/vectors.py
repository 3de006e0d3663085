"""Script-injection vectors from tests/data, and packing them into size-limited fields.

The corpus: every item of the HTML5 Security Cheatsheet (H5SC, cure53) plus the
PayloadsAllTheThings intruder lists named in ``PATT_LISTS`` (polyglots, event handlers
for every element, RSnake's list, BruteLogic's JavaScript list, a quick list). The
larger intruder lists (``PATT_FULL``: 1,700 more vectors, many near-duplicates) would
triple the pages to load; ``MASTHEAD_XSS_CORPUS=full`` adds them.
"""

import json
import os
from dataclasses import dataclass, field
from pathlib import Path

from tests.corpora import DATA

H5SC = Path("h5sc-html5-security-cheatsheet") / "h5sc-items.json"
PATT = Path("payloadsallthethings") / "XSS Injection" / "Intruders"
PATT_LISTS = [
    "XSS_Polyglots.txt",
    "port_swigger_xss_cheatsheet_event_handlers.txt",
    "0xcela_event_handlers.txt",
    "RSNAKE_XSS.txt",
    "BRUTELOGIC-XSS-JS.txt",
    "xss_payloads_quick.txt",
]
PATT_FULL = [
    "BRUTELOGIC-XSS-STRINGS.txt",
    "JHADDIX_XSS.txt",
    "MarioXSSVectors.txt",
    "XSSDetection.txt",
    "IntrudersXSS.txt",
    "xss_alert.txt",
    "xss_alert_identifiable.txt",
]


class CorpusMissing(Exception):
    """The shared corpus folder is absent on this machine."""


def corpus_paths() -> list[Path]:
    root = DATA
    lists = PATT_LISTS + (PATT_FULL if os.environ.get("MASTHEAD_XSS_CORPUS") == "full" else [])
    return [root / H5SC] + [root / PATT / name for name in lists]


def load_vectors() -> list[str]:
    """Return the distinct vectors, H5SC first, in a stable order."""
    paths = corpus_paths()
    missing = [str(p) for p in paths if not p.exists()]
    if missing:
        raise CorpusMissing(f"script-injection corpus not found: {', '.join(missing)}")
    items = json.loads(paths[0].read_text())["items"]
    vectors = [item["data"] for item in items]
    for path in paths[1:]:
        vectors += path.read_text(errors="replace").splitlines()
    seen: dict[str, None] = {}
    for vector in vectors:
        vector = vector.strip().replace("\r\n", "\n")
        if vector:
            seen.setdefault(vector, None)
    return list(seen)


def one_line(vector: str) -> str:
    """Return the vector as a one-line input gives it: line breaks become spaces."""
    return " ".join(vector.split())


@dataclass
class Pack:
    """One field value holding several whole vectors, separated by a space."""

    value: str
    vectors: list[int] = field(default_factory=list)


def pack(
    vectors: list[str], limit: int | None, *, single_line: bool, per_value: int | None = None
) -> tuple[list[Pack], list[int]]:
    """Return values of at most ``limit`` characters holding whole vectors, and the
    indices of the vectors that cannot fit in the field at all.

    ``per_value`` caps how many vectors share one value (for unlimited fields).
    """
    packs: list[Pack] = []
    too_long: list[int] = []
    current = Pack("")
    for index, vector in enumerate(vectors):
        text = one_line(vector) if single_line else vector
        if limit is not None and len(text) > limit:
            too_long.append(index)
            continue
        joined = f"{current.value} {text}" if current.value else text
        full = (limit is not None and len(joined) > limit) or (
            per_value is not None and len(current.vectors) >= per_value
        )
        if current.vectors and full:
            packs.append(current)
            current = Pack(text, [index])
        else:
            current.value = joined
            current.vectors.append(index)
    if current.vectors:
        packs.append(current)
    return packs, too_long
