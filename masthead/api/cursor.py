"""Keyset ("cursor") pagination that stays exact while stories are published.

A cursor names the last item of a page by its sort value and id; the next page is
"everything strictly after that pair" in the same order. Unlike offsets (Wagtail's API,
Django's Paginator) a story published during a walk does not push the rest down one
place, so nothing is seen twice or skipped; unlike django-ninja's ``CursorPagination``
the id breaks ties, so stories published in the same microsecond (an import) are
neither repeated nor lost.
"""

import base64
import binascii
import datetime as dt
from dataclasses import dataclass

from django.db.models import Q
from ninja.errors import HttpError


@dataclass(frozen=True)
class Ordering:
    field: str  # e.g. "first_published_at"
    descending: bool

    def order_by(self) -> list[str]:
        sign = "-" if self.descending else ""
        return [f"{sign}{self.field}", f"{sign}pk"]

    def after_q(self, value, pk: int) -> Q:
        """Return "strictly after (value, pk)" in this order.

        Written as one range on the field minus the ties already seen, not as
        "field < value OR (field = value AND pk < pk)": SQLite answers the OR with two
        index scans and a sort of everything before the cursor (860 ms deep in 100,000
        stories), the range with one index scan (7 ms).
        """
        if self.descending:
            return Q(**{f"{self.field}__lte": value}) & ~Q(**{self.field: value, "pk__gte": pk})
        return Q(**{f"{self.field}__gte": value}) & ~Q(**{self.field: value, "pk__lte": pk})


def encode(value, pk: int) -> str:
    kind, text = ("t", value.isoformat()) if isinstance(value, dt.datetime) else ("s", value)
    raw = f"{kind}{text}|{pk}"
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def decode(cursor: str) -> tuple:
    """Return (value, pk) from a cursor; answer 400 for one this API did not make."""
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        raw = base64.urlsafe_b64decode(padded.encode("ascii")).decode()
        text, _, pk = raw.rpartition("|")
        kind, text = text[:1], text[1:]
        value = dt.datetime.fromisoformat(text) if kind == "t" else text
        if kind not in ("t", "s"):
            raise ValueError(kind)
        return value, int(pk)
    except (ValueError, UnicodeError, binascii.Error):
        raise HttpError(
            400, "The cursor is not valid: use the 'next' address of the previous page as it is."
        ) from None


def page(queryset, ordering: Ordering, cursor: str | None, limit: int) -> tuple[list, str | None]:
    """Return one page of ``queryset`` and the cursor of the next page (None at the end)."""
    qs = queryset.order_by(*ordering.order_by())
    if cursor:
        value, pk = decode(cursor)
        qs = qs.filter(ordering.after_q(value, pk))
    rows = list(qs[: limit + 1])
    if len(rows) <= limit:
        return rows, None
    rows = rows[:limit]
    last = rows[-1]
    return rows, encode(getattr(last, ordering.field), last.pk)
