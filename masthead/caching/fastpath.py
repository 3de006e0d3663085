"""Answer a fresh cached page before Django's request handling starts.

A cached hit in PageCacheMiddleware still pays for Django's request object, the
request_started/finished signals (which walk the database connections) and the
middleware chain: about half of a hit's time. This WSGI wrapper answers the same hit
with one cache lookup and the tag check, and nothing else.

It answers only what the full stack has already answered the same way in this process:
after a HIT or MISS for an anonymous GET with no query string, it remembers, under the
raw Host, path, scheme and forwarded-protocol values, the page-cache key the middleware
used and the headers the outer middleware added (security headers). Anything it has not
seen (another host, a cookie that could be a session, a query string, If-None-Match,
a copy that is stale or withdrawn) goes to Django as before, so host validation, HTTPS
redirects, 304s and re-rendering behave exactly as without it.

The answer it builds for a copy is kept in this process too (``MAX_ANSWERS`` of them),
with the site-wide invalidation epoch it was checked at and the copy's freshness limit.
While the epoch has not moved and the copy is still fresh, the next hit is that answer
again: one small counter read instead of reading the page from the cache, checking its
tags and rebuilding the headers. Any invalidation anywhere moves the epoch, after which
the copy is read and checked again as before.
"""

import threading
import time

from django.conf import settings
from django.core.cache import cache
from django.core.signals import setting_changed
from django.dispatch import receiver

from . import compression, middleware, tags

# Set by PageCacheMiddleware in the WSGI environ (request.META) for a HIT or a MISS.
ENVIRON_KEY = "masthead.page_cache_key"
# Headers the middleware sets per answer; the rest of a recorded answer is "outer".
PER_ANSWER = {"etag", "cache-control", "x-cache", "content-length", "content-encoding", "vary"}
MAX_REMEMBERED = 10_000
# Ready answers (headers and body) kept per worker: a busy site's hot pages, not its archive.
# Each is checked against tags.epoch_token() (one stat of the change beacon on the
# embedded default, the epoch itself on Redis).
MAX_ANSWERS = 256


_SETTINGS: tuple | None = None


def _settings() -> tuple:
    """The settings a hit depends on, read once (and again after a test changes one)."""
    global _SETTINGS
    if _SETTINGS is None:
        _SETTINGS = (
            settings.SESSION_COOKIE_NAME,
            getattr(settings, "MASTHEAD_PAGE_CACHE", True),
            (settings.SECURE_PROXY_SSL_HEADER or ("", ""))[0],
            settings.USE_X_FORWARDED_HOST,
        )
    return _SETTINGS


@receiver(setting_changed)
def _forget_settings(**kwargs) -> None:
    global _SETTINGS
    _SETTINGS = None


class CachedPageApplication:
    def __init__(self, application):
        self.application = application
        self.remembered: dict[tuple, tuple[str, list[tuple[str, str]]]] = {}
        # identity -> (epoch checked at, fresh until, (status, headers, body))
        self.answers: dict[tuple, tuple[int, float, tuple]] = {}
        self.lock = threading.Lock()

    def _identity(self, environ) -> tuple | None:
        """Return what makes two requests alike to the full stack, or None if not eligible."""
        session_cookie, enabled, proxy_header, forwarded_host = _settings()
        if (
            environ.get("REQUEST_METHOD") != "GET"
            or environ.get("QUERY_STRING")
            or environ.get("SCRIPT_NAME")
            or "HTTP_AUTHORIZATION" in environ
            or "HTTP_IF_NONE_MATCH" in environ
            or session_cookie in environ.get("HTTP_COOKIE", "")
            or not enabled
        ):
            return None
        return (
            environ.get("HTTP_HOST"),
            environ.get("PATH_INFO"),
            environ.get("wsgi.url_scheme"),
            environ.get(proxy_header) if proxy_header else None,
            environ.get("HTTP_X_FORWARDED_HOST") if forwarded_host else None,
            compression.accepts_gzip(environ.get("HTTP_ACCEPT_ENCODING", "")),
        )

    def __call__(self, environ, start_response):
        identity = self._identity(environ)
        if identity is not None and identity in self.remembered:
            answer = self._ready(identity)
            if answer is None:
                key, outer = self.remembered[identity]
                answer = self._answer(key, outer, environ.get("HTTP_ACCEPT_ENCODING", ""))
                if answer is not None:
                    answer = self._keep(identity, *answer)
            if answer is not None:
                status, headers, body = answer
                start_response(status, headers)
                return [body]
        if identity is None:
            return self.application(environ, start_response)

        captured = {}

        def recording_start_response(status, headers, exc_info=None):
            captured["status"], captured["headers"] = status, headers
            return start_response(status, headers, exc_info)

        result = self.application(environ, recording_start_response)
        key = environ.get(ENVIRON_KEY)
        if (
            key
            and captured.get("status", "").startswith("200")
            and not any(name.lower() == "set-cookie" for name, _ in captured["headers"])
        ):
            self._remember(identity, key, captured["headers"])
        return result

    def _remember(self, identity: tuple, key: str, headers: list) -> None:
        entry = cache.get(key)
        if entry is None:
            # Rendered without being stored (a waiter that gave up): nothing to learn from.
            return
        entry_names = {name.lower() for name, _ in entry["headers"]}
        outer = [
            (name, value)
            for name, value in headers
            if name.lower() not in PER_ANSWER and name.lower() not in entry_names
        ]
        with self.lock:
            if len(self.remembered) >= MAX_REMEMBERED:
                self.remembered.clear()
            self.remembered[identity] = (key, outer)

    def _ready(self, identity: tuple) -> tuple | None:
        """The answer built for this identity, if nothing was invalidated since and it is fresh."""
        kept = self.answers.get(identity)
        if kept is None:
            return None
        checked_at, fresh_until, (status, headers, body) = kept
        if time.time() >= fresh_until or tags.epoch_token() != checked_at:
            return None
        return status, list(headers), body

    def _keep(self, identity, status, headers, body, epoch, fresh_until) -> tuple:
        if epoch is not None:
            with self.lock:
                if len(self.answers) >= MAX_ANSWERS:
                    self.answers.clear()
                self.answers[identity] = (epoch, fresh_until, (status, tuple(headers), body))
        return status, headers, body

    def _answer(self, key: str, outer: list, accept_encoding: str) -> tuple | None:
        """Status, headers and body for a fresh copy, with the epoch and time it is good for."""
        try:
            # Read before the copy: if an invalidation lands in between, the answer is
            # kept under the older epoch and checked again on the next hit.
            epoch = tags.epoch_token()
            entry = cache.get(key)
            if entry is None or middleware.entry_state(entry, key) != "fresh":
                return None
        except Exception:
            # Whatever went wrong, the full stack knows how to answer (or degrade).
            return None
        body, etag, encoded = middleware.variant(entry, accept_encoding)
        entry_names = {name.lower() for name, _ in entry["headers"]}
        vary = [
            v.strip()
            for name, value in entry["headers"]
            if name.lower() == "vary"
            for v in value.split(",")
        ]
        for name in middleware.vary_headers(entry):
            if name.lower() not in {v.lower() for v in vary}:
                vary.append(name)
        headers = [
            *[(name, value) for name, value in entry["headers"] if name.lower() != "vary"],
            ("Content-Length", str(len(body))),
            *([("Content-Encoding", "gzip")] if encoded else []),
            # A later copy may carry a header an outer middleware also set: keep one.
            *[(name, value) for name, value in outer if name.lower() not in entry_names],
            ("ETag", etag),
            ("Cache-Control", entry["cache_control"]),
            ("X-Cache", "HIT"),
            ("Vary", ", ".join(vary)),
        ]
        return f"{entry['status']} OK", headers, body, epoch, entry["fresh_until"]
