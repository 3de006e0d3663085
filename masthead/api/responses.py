"""JSON answers: validated against their schema, cached until content changes, and
answered with 304 when the client already has them.

An answer is cached in the Django cache under the current values of the ``stories`` and
``site`` counters (masthead.core.changes: every publish, unpublish, move, deletion,
restriction, byline, topic and picture change moves one of them) and under the
reader's scope, so a key limited to one section never gets an answer made for another
scope. The answers live in the Django cache (Redis in production), not in the
workers' memory: a listing can be a hundred kilobytes. The ETag
is a digest of the bytes; Last-Modified is the newest publication time in the answer.
"""

import hashlib
import json
import logging

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.utils.cache import get_conditional_response
from django.utils.http import http_date

from masthead.core import changes

COUNTERS = (changes.STORIES, changes.SITE)
logger = logging.getLogger(__name__)
CACHE_SECONDS = 60


def cache_enabled() -> bool:
    return getattr(settings, "MASTHEAD_API_CACHE", True)


def _key(request: HttpRequest, kind: str) -> str:
    scope = getattr(request, "auth", None)
    label = scope.label if scope is not None else "all"
    query = "&".join(f"{k}={v}" for k, v in sorted(request.GET.lists()))
    raw = f"{kind}|{request.path}|{query}|{label}"
    return "api:" + hashlib.sha256(raw.encode("utf-8", "surrogateescape")).hexdigest()


def _render(schema, data) -> tuple[bytes, float | None]:
    if schema is not None:
        body = schema.model_validate(data).model_dump_json(by_alias=True).encode()
    else:
        body = json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode()
    return body, _newest(data)


def _newest(data) -> float | None:
    times = []

    def walk(value):
        if isinstance(value, dict):
            for name in ("last_published_at", "versioncreated"):
                stamp = value.get(name)
                if stamp is not None:
                    times.append(stamp if isinstance(stamp, str) else stamp.isoformat())
            for name in ("results",):
                for item in value.get(name) or []:
                    walk(item)

    walk(data)
    if not times:
        return None
    import datetime as dt

    return max(dt.datetime.fromisoformat(t).timestamp() for t in times)


def json_response(
    request: HttpRequest, kind: str, compute, schema=None, content_type="application/json"
) -> HttpResponse:
    """Return the answer ``compute()`` builds, from the cache when content is unchanged."""

    def build():
        return _render(schema, compute())

    body = newest = key = None
    if cache_enabled():
        try:
            stamp = ".".join(map(str, changes.current(*COUNTERS)))
            key = f"mh:api:{stamp}:{_key(request, kind)}"
            body, newest = cache.get(key) or (None, None)
        except Exception:
            logger.warning("Cache unavailable; building the API answer uncached")
            key = None
    if body is None:
        body, newest = build()
        if cache_enabled() and key:
            try:
                cache.set(key, (body, newest), CACHE_SECONDS)
            except Exception:
                # An answer is never refused because the cache is away.
                logger.warning("Could not cache the API answer %s", key)
    etag = '"' + hashlib.blake2b(body, digest_size=16).hexdigest() + '"'
    last_modified = int(newest) if newest is not None else None
    conditional = get_conditional_response(request, etag=etag, last_modified=last_modified)
    response = conditional or HttpResponse(body, content_type=content_type)
    response["ETag"] = etag
    if last_modified is not None:
        response["Last-Modified"] = http_date(last_modified)
    # Clients revalidate every time (cheap with the ETag). "private" keeps shared caches
    # and the site's page cache from serving an answer without the key and rate checks.
    response["Cache-Control"] = "private, no-cache"
    response["Vary"] = "Authorization, X-API-Key"
    rate = getattr(request, "api_rate", None)
    if rate:
        response["RateLimit-Limit"] = str(rate[0])
        response["RateLimit-Remaining"] = str(rate[1])
    return response
