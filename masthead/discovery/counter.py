"""Cookieless view counting: a reader counts once per story per day.

A reader is a digest of today's salt, the story, the client address and the user
agent. The salt is random, kept in ``DailySalt`` (never beside the counts) and
replaced every day; salts of past days are deleted, so a digest cannot be linked to
an address once the day is over. Nothing is stored on the reader's device.

Which requests count (no bots, prefetches or staff) and whose address it is are
decided by masthead.core.readers, shared with republished copies' pixel.

The page carries a signed, time-limited token for its story; the beacon request
presents it, so counts cannot be forged for other stories or with made-up tokens,
and a replay by the same reader on the same day finds its digest already seen.
"""

import datetime as dt
import hashlib
import secrets
import time

from django.conf import settings
from django.core import signing
from django.db import IntegrityError, OperationalError, connection, transaction
from django.db.models import F
from django.utils import timezone

from .models import ArticleView, DailySalt, ReaderSeen

TOKEN_SALT = "masthead.discovery.beacon"  # noqa: S105 - a signing namespace, not a secret
# How long a rendered page's token counts; longer than any full-page cache lifetime.
DEFAULT_TOKEN_MAX_AGE = 2 * 86400


def make_token(article_id: int) -> str:
    """Return the signed counting token rendered into a story's page."""
    return signing.TimestampSigner(salt=TOKEN_SALT).sign(str(article_id))


def read_token(token: str) -> int | None:
    """Return the story id of a valid, unexpired token, else ``None``."""
    max_age = getattr(settings, "DISCOVERY_TOKEN_MAX_AGE", DEFAULT_TOKEN_MAX_AGE)
    try:
        value = signing.TimestampSigner(salt=TOKEN_SALT).unsign(token, max_age=max_age)
    except signing.BadSignature:  # includes SignatureExpired
        return None
    return int(value) if value.isdigit() else None


_salts: dict = {}


def todays_salt(day) -> str:
    """Return the salt for ``day``, creating it (and deleting older salts) once a day.

    A day's salt never changes once made, so each process keeps the current one.
    """
    if day in _salts:
        return _salts[day]
    found = DailySalt.objects.filter(day=day).values_list("salt", flat=True).first()
    if not found:
        try:
            with transaction.atomic():
                DailySalt.objects.create(day=day, salt=secrets.token_hex(32))
        except IntegrityError:
            pass  # another worker created it first
        DailySalt.objects.filter(day__lt=day).delete()
        found = DailySalt.objects.get(day=day).salt
    _salts.clear()
    _salts[day] = found
    return found


def reader_digest(salt: str, article_id: int, address: str, agent: str) -> str:
    payload = "\x1f".join([salt, str(article_id), address, agent])
    return hashlib.sha256(payload.encode()).hexdigest()


def record_view(article_id: int, address: str, agent: str, *, attempts: int = 50) -> bool:
    """Count one view of a story by one reader; return False if already counted today.

    The digest insert and the count increment share one transaction, so a view is
    counted exactly once. A locked SQLite database is retried rather than dropped.
    """
    for attempt in range(attempts):
        try:
            return _record(article_id, address, agent)
        except OperationalError as exc:
            if "locked" not in str(exc).lower() or attempt == attempts - 1:
                raise
            time.sleep(0.01 * (attempt + 1))
    return False


def _record(article_id: int, address: str, agent: str) -> bool:
    day = timezone.localdate()
    digest = reader_digest(todays_salt(day), article_id, address, agent)
    day_value = connection.ops.adapt_datefield_value(day)
    seen = connection.ops.quote_name(ReaderSeen._meta.db_table)
    views = connection.ops.quote_name(ArticleView._meta.db_table)
    with transaction.atomic(), connection.cursor() as cursor:
        # One statement that tells whether the reader is new, without a savepoint.
        cursor.execute(
            f"INSERT INTO {seen} (day, digest) VALUES (%s, %s) ON CONFLICT (digest) DO NOTHING",  # noqa: S608 - table names from model metadata
            [day_value, digest],
        )
        if cursor.rowcount != 1:
            return False
        updated = ArticleView.objects.filter(article_id=article_id, day=day).update(
            views=F("views") + 1
        )
        if not updated:
            # The day's first view: an upsert, so two first views at once both count.
            cursor.execute(
                f"INSERT INTO {views} (article_id, day, views) VALUES (%s, %s, 1) "  # noqa: S608 - table names from model metadata
                f"ON CONFLICT (article_id, day) DO UPDATE SET views = {views}.views + 1",
                [article_id, day_value],
            )
    return True


def prune(keep_days: int = 400) -> dict[str, int]:
    """Delete digests and salts of past days and counts older than ``keep_days``."""
    today = timezone.localdate()
    seen, _ = ReaderSeen.objects.filter(day__lt=today).delete()
    salts, _ = DailySalt.objects.filter(day__lt=today).delete()
    views, _ = ArticleView.objects.filter(day__lt=today - dt.timedelta(days=keep_days)).delete()
    return {"digests": seen, "salts": salts, "daily_counts": views}
