"""Who may read the API, and how fast: keys, the anonymous switch and rate limits.

A key is sent as ``Authorization: Bearer mh_…`` or ``X-API-Key: mh_…``. A key that is
unknown or revoked is refused with 401 even when anonymous reading is on, so a partner
notices at once. Rate limits count requests per minute in the store every process
shares (Redis, or the machine's shared store on the embedded default): with several
workers a client gets the configured rate, not the rate times the number of workers.
"""

import math
import threading
import time

from django.http import HttpRequest
from ninja.errors import AuthenticationError
from ninja.security import APIKeyHeader, HttpBearer
from ninja.throttling import BaseThrottle

from masthead.core import changes
from masthead.core.clients import client_address

from .models import ApiKey, ApiSettings, parse_key
from .visibility import Scope

WINDOW = 60
INVALID_KEY = "This API key is not valid or has been revoked. Ask the newsroom for a new one."
KEY_NEEDED = (
    "This API needs a key: send it as 'Authorization: Bearer KEY'. Ask the newsroom for one."
)


def api_settings() -> dict:
    """Return the API switches of the default site, cached until they are saved again."""

    def compute() -> dict:
        row = ApiSettings.objects.order_by("-site__is_default_site", "pk").first()
        defaults = {
            f.name: f.default
            for f in ApiSettings._meta.concrete_fields
            if f.name in ("allow_anonymous", "anonymous_rate_per_minute", "key_rate_per_minute")
        }
        if row is None:
            return defaults
        return {name: getattr(row, name) for name in defaults}

    return changes.cached("api:settings", changes.SITE, compute)


def _scope_for(key: ApiKey) -> Scope:
    key.touch()
    return Scope(key=key, section_paths=key.section_paths())


def authenticate_key(raw: str | None) -> Scope | None:
    if not raw:
        return None
    parsed = parse_key(raw)
    key = None
    if parsed:
        prefix, secret = parsed
        key = ApiKey.objects.active().filter(prefix=prefix).first()
        if key is not None and not key.matches(secret):
            key = None
    if key is None:
        raise AuthenticationError(401, INVALID_KEY)
    return _scope_for(key)


class BearerKey(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str):
        return authenticate_key(token)


class HeaderKey(APIKeyHeader):
    param_name = "X-API-Key"

    def authenticate(self, request: HttpRequest, key: str | None):
        return authenticate_key(key)


def anonymous(request: HttpRequest):
    """Let the request through without a key when the site allows it."""
    if request.META.get("HTTP_AUTHORIZATION") or request.META.get("HTTP_X_API_KEY"):
        # A key was sent in a shape the key checks did not accept ("Basic ...").
        raise AuthenticationError(401, INVALID_KEY)
    if not api_settings()["allow_anonymous"]:
        raise AuthenticationError(401, KEY_NEEDED)
    return Scope()


AUTH = [BearerKey(), HeaderKey(), anonymous]


def count(key: str, timeout: int) -> int:
    """Add one to the shared counter ``key`` and return its value."""
    from masthead.core import state

    return state.incr(key, timeout=timeout)


class SharedRateLimit(BaseThrottle):
    """Fixed one-minute windows per key (or per address without a key)."""

    def __init__(self):
        # One instance serves every thread of a worker: the wait belongs to the thread.
        self._local = threading.local()

    def allow_request(self, request: HttpRequest) -> bool:
        scope = getattr(request, "auth", None)
        switches = api_settings()
        if scope is not None and scope.key is not None:
            ident = f"key:{scope.key.pk}"
            rate = scope.key.rate_per_minute or switches["key_rate_per_minute"]
        else:
            ident = f"ip:{client_address(request)}"
            rate = switches["anonymous_rate_per_minute"]
        now = time.time()
        window = int(now // WINDOW)
        used = count(f"mh:api:rate:{ident}:{window}", WINDOW * 2)
        request.api_rate = (rate, max(0, rate - used), (window + 1) * WINDOW)
        if used <= rate:
            return True
        self._local.wait = (window + 1) * WINDOW - now
        return False

    def wait(self) -> float | None:
        pending = getattr(self._local, "wait", None)
        return max(1, math.ceil(pending)) if pending is not None else None
