"""Text that every XML and JSON consumer accepts, whatever an editor or importer typed."""

import re
from typing import Any

# XML 1.0 allows tab, newline, carriage return and most of Unicode; everything else
# (C0 controls, lone surrogates, U+FFFE, U+FFFF) makes a document ill-formed. C1
# controls (U+007F-U+009F) are legal but are garbage in news text and upset readers.
_INVALID = re.compile(
    "[^\u0009\u000a\u000d\u0020-\u007e\u00a0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]"
)


def clean_text(value: str) -> str:
    """Return ``value`` without the characters that XML 1.0 forbids or that are controls."""
    return _INVALID.sub("", value)


def clean(value: Any) -> Any:
    """Return ``value`` with every string inside it (lists, tuples, dicts) cleaned."""
    if isinstance(value, str):
        return clean_text(value)
    if isinstance(value, list | tuple):
        return type(value)(clean(v) for v in value)
    if isinstance(value, dict):
        return {k: clean(v) for k, v in value.items()}
    return value
