"""Redis as a cache, not a single point of failure.

With ``REDIS_URL`` the ``default`` cache (page copies, fragments) and the ``state`` store
(counters, locks, throttles, rate limits) are each a :class:`FailoverCache`: Redis first,
and while Redis cannot be reached, a fallback every request of the site still shares:

- ``state`` falls back to :class:`DatabaseStateCache`, rows of ``core.SharedStateEntry``
  in the site's own database, which every app server shares. Counters increment
  atomically there (``UPDATE ... SET number = number + 1`` under the row lock), a lock is
  an ``INSERT`` that only one process wins, so the sign-in lockout, the scheduler's lock,
  rate limits and invalidation counters keep working through the outage.
- ``default`` falls back to each worker's memory. Those copies are checked against the
  tag counters in the (fallback) state store on every hit, as on the embedded default,
  so an unpublish on one server withdraws every server's copy.

A failed call marks Redis down for ``RETRY_SECONDS`` (5): meanwhile every call goes
straight to the fallback, so a dead Redis costs one connection attempt per process every
few seconds instead of a timeout per call. Each process logs one warning when Redis
goes and one line when it is back (masthead.core.outages), never a traceback per call.

When Redis answers again, the process that notices moves what the fallback store
collected into Redis (:func:`reconcile`): every invalidation counter bumped during the
outage is bumped in Redis too (so no copy cached before the outage is taken for fresh),
throttle counts and locks are carried over with the time they have left, and the rows
are deleted. Several processes may do this at once; a counter bumped twice only
invalidates once more. No flush command is needed, and sign-in locks survive.
"""

import logging
import pickle
import secrets
import threading
import time
from datetime import timedelta

from django.core.cache.backends.base import DEFAULT_TIMEOUT, BaseCache
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.module_loading import import_string

from .outages import Outage

logger = logging.getLogger("masthead.redis")

_MISSING = object()


def _outage_errors() -> tuple[type[BaseException], ...]:
    errors: list[type[BaseException]] = [ConnectionError, TimeoutError]
    try:
        import redis.exceptions
        from django_redis.exceptions import ConnectionInterrupted

        errors += [
            redis.exceptions.ConnectionError,
            redis.exceptions.TimeoutError,
            ConnectionInterrupted,
        ]
    except ImportError:  # pragma: no cover - django-redis is a dependency
        pass
    return tuple(errors)


OUTAGE_ERRORS = _outage_errors()


class _Health:
    """Whether one Redis server is down, shared by every cache that uses it in this process."""

    def __init__(self, location: str):
        self.outage = Outage(logger, f"Redis at {location.split('@')[-1]}")
        self.down_until = 0.0
        self.failed_at = 0.0  # when a call last failed (monotonic)
        self.lock = threading.Lock()

    def usable(self) -> bool:
        return time.monotonic() >= self.down_until


_health: dict[str, _Health] = {}
_health_lock = threading.Lock()


def health(location: str) -> _Health:
    with _health_lock:
        if location not in _health:
            _health[location] = _Health(location)
        return _health[location]


def _build(config: dict, params: dict) -> BaseCache:
    """Build a cache backend from a nested configuration, with the wrapper's key prefix."""
    merged = {
        "TIMEOUT": params.get("TIMEOUT", 300),
        "KEY_PREFIX": params.get("KEY_PREFIX", ""),
        "VERSION": params.get("VERSION", 1),
        **{k: v for k, v in config.items() if k not in ("BACKEND", "LOCATION")},
    }
    return import_string(config["BACKEND"])(config.get("LOCATION", ""), merged)


class FailoverCache(BaseCache):
    """A cache that uses ``OPTIONS["PRIMARY"]`` (Redis) and, while it is unreachable,
    ``OPTIONS["FALLBACK"]``; both are nested cache configurations."""

    def __init__(self, location: str, params: dict):
        super().__init__(params)
        options = params.get("OPTIONS", {})
        self.location = options["PRIMARY"].get("LOCATION", location)
        self.primary = _build(options["PRIMARY"], params)
        self.fallback = _build(options["FALLBACK"], params)
        self.retry_seconds = float(options.get("RETRY_SECONDS", 5))
        self.reconciles = bool(options.get("RECONCILE", False))
        self.health = health(self.location)

    def _call(self, name: str, *args, **kwargs):
        health = self.health
        if health.usable():
            started = time.monotonic()
            try:
                result = getattr(self.primary, name)(*args, **kwargs)
            except OUTAGE_ERRORS as exc:
                self._failed(exc)
            else:
                # Only a call begun after the last failure shows Redis is back: one that
                # was on its way when Redis went (a pooled connection answered while the
                # server shut down) says nothing, and once ended the outage in the log
                # just as it began.
                if health.outage.active and started > health.failed_at:
                    self._recovered()
                return result
        return getattr(self.fallback, name)(*args, **kwargs)

    def _failed(self, exc: BaseException) -> None:
        health = self.health
        with health.lock:
            health.failed_at = time.monotonic()
            health.down_until = health.failed_at + self.retry_seconds
        health.outage.failed(f"{type(exc).__name__}: {exc}")

    def _recovered(self) -> None:
        health = self.health
        health.outage.recovered()
        if self.reconciles and isinstance(self.fallback, DatabaseStateCache):
            try:
                moved = reconcile(self.fallback, self.primary)
            except Exception:
                logger.exception("Could not carry the fallback store over to Redis")
            else:
                if moved:
                    logger.warning("Carried %d shared-state entries over to Redis.", moved)

    @property
    def redis_is_up(self) -> bool:
        return self.health.usable() and not self.health.outage.active

    # The cache API, each call to Redis or, while it is down, to the fallback.
    def get(self, key, default=None, version=None):
        return self._call("get", key, default, version=version)

    # A call with nothing to do answers without asking anyone: passed on, django-redis
    # answers it without a round trip, which would look like Redis answering again and
    # end (then restart) an outage in the log.
    def get_many(self, keys, version=None):
        if not keys:
            return {}
        return self._call("get_many", keys, version=version)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("set", key, value, timeout=timeout, version=version)

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        if not data:
            return []
        return self._call("set_many", data, timeout=timeout, version=version)

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("add", key, value, timeout=timeout, version=version)

    def incr(self, key, delta=1, version=None):
        return self._call("incr", key, delta, version=version)

    def decr(self, key, delta=1, version=None):
        return self._call("decr", key, delta, version=version)

    def delete(self, key, version=None):
        return self._call("delete", key, version=version)

    def delete_many(self, keys, version=None):
        if not keys:
            return None
        return self._call("delete_many", keys, version=version)

    def has_key(self, key, version=None):
        return self._call("has_key", key, version=version)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("touch", key, timeout=timeout, version=version)

    def clear(self):
        return self._call("clear")

    def delete_pattern(self, pattern, version=None):
        """Delete this site's keys matching ``pattern`` (django-redis); all of the fallback's."""
        if self.health.usable():
            try:
                return self.primary.delete_pattern(pattern, version=version)
            except OUTAGE_ERRORS as exc:
                self._failed(exc)
        return self.fallback.clear()

    def close(self, **kwargs):
        for backend in (self.primary, self.fallback):
            backend.close(**kwargs)


class DatabaseStateCache(BaseCache):
    """A small cache on the ``core.SharedStateEntry`` table, for the shared state only.

    Not a page cache: every call is a query. Integers live in their own column so that
    :meth:`incr` is one atomic ``UPDATE``; other values are pickled, as Django's own
    database cache does.
    """

    def __init__(self, location: str, params: dict):
        super().__init__(params)

    def _model(self):
        from .models import SharedStateEntry

        return SharedStateEntry

    def _live(self):
        return Q(expires__isnull=True) | Q(expires__gt=timezone.now())

    def _expiry(self, timeout):
        if timeout is DEFAULT_TIMEOUT:
            timeout = self.default_timeout
        if timeout is None:
            return None
        return timezone.now() + timedelta(seconds=timeout)

    @staticmethod
    def _fields(value) -> dict:
        if isinstance(value, int) and not isinstance(value, bool):
            return {"number": value, "value": b""}
        return {"number": None, "value": pickle.dumps(value, pickle.HIGHEST_PROTOCOL)}

    @staticmethod
    def _value(row):
        return row.number if row.number is not None else pickle.loads(bytes(row.value))  # noqa: S301 - written by this class

    def get(self, key, default=None, version=None):
        key = self.make_and_validate_key(key, version=version)
        row = self._model().objects.filter(self._live(), key=key).first()
        return default if row is None else self._value(row)

    def get_many(self, keys, version=None):
        made = {self.make_and_validate_key(k, version=version): k for k in keys}
        rows = self._model().objects.filter(self._live(), key__in=list(made))
        return {made[row.key]: self._value(row) for row in rows}

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        key = self.make_and_validate_key(key, version=version)
        self._model().objects.update_or_create(
            key=key, defaults={**self._fields(value), "expires": self._expiry(timeout)}
        )

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        for key, value in data.items():
            self.set(key, value, timeout=timeout, version=version)
        return []

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        key = self.make_and_validate_key(key, version=version)
        model = self._model()
        try:
            with transaction.atomic(using=model.objects.db):
                model.objects.filter(key=key, expires__lte=timezone.now()).delete()
                model.objects.create(key=key, expires=self._expiry(timeout), **self._fields(value))
        except IntegrityError:
            return False
        return True

    def incr(self, key, delta=1, version=None):
        key = self.make_and_validate_key(key, version=version)
        model = self._model()
        with transaction.atomic(using=model.objects.db):
            # The UPDATE holds the row until the transaction ends: concurrent increments
            # queue behind it and each reads its own result.
            updated = model.objects.filter(self._live(), key=key, number__isnull=False).update(
                number=F("number") + delta
            )
            if not updated:
                raise ValueError(f"Key '{key}' not found.")
            return model.objects.get(key=key).number

    def delete(self, key, version=None):
        key = self.make_and_validate_key(key, version=version)
        return bool(self._model().objects.filter(key=key).delete()[0])

    def delete_many(self, keys, version=None):
        made = [self.make_and_validate_key(k, version=version) for k in keys]
        self._model().objects.filter(key__in=made).delete()

    def has_key(self, key, version=None):
        key = self.make_and_validate_key(key, version=version)
        return self._model().objects.filter(self._live(), key=key).exists()

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        key = self.make_and_validate_key(key, version=version)
        return bool(
            self._model()
            .objects.filter(self._live(), key=key)
            .update(expires=self._expiry(timeout))
        )

    def clear(self):
        self._model().objects.all().delete()

    def validate_key(self, key):
        if len(key) > 250:
            raise ValueError(f"Shared-state key longer than 250 characters: {key[:60]}...")

    def raw_key(self, made: str) -> tuple[str, int]:
        """Return the caller's key and version of a stored key (inverse of make_key)."""
        rest = made[len(self.key_prefix) + 1 :] if self.key_prefix else made[1:]
        version, _, key = rest.partition(":")
        return key, int(version or 1)


def reconcile(fallback: DatabaseStateCache, primary: BaseCache) -> int:
    """Move what ``fallback`` collected during an outage into ``primary``; return the count.

    Counters without expiry (invalidation counters, the epoch) are bumped in Redis, so
    every copy that depended on a change made during the outage is out of date; entries
    with an expiry (throttle counts, sign-in locks, the scheduler's lock, rate limits)
    are carried over with the time they have left, never lowering a count Redis holds.
    Cached values without expiry (first-level copies shared between workers) are
    dropped: they were stamped with the fallback's counters and would never match.
    """
    model = fallback._model()
    now = timezone.now()
    moved = 0
    for row in model.objects.all().iterator():
        key, version = fallback.raw_key(row.key)
        if row.expires is not None and row.expires <= now:
            pass
        elif row.expires is None and row.number is not None:
            primary.add(key, secrets.randbelow(1 << 48), timeout=None, version=version)
            primary.incr(key, version=version)
            moved += 1
        elif row.expires is not None:
            left = max(1, int((row.expires - now).total_seconds()))
            value = fallback._value(row)
            if row.number is not None:
                current = primary.get(key, version=version)
                if current is None or int(current) < row.number:
                    primary.set(key, row.number, timeout=left, version=version)
            else:
                primary.add(key, value, timeout=left, version=version)
            moved += 1
        model.objects.filter(pk=row.pk, number=row.number, expires=row.expires).delete()
    return moved
