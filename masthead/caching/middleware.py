"""Full-page caching for anonymous readers, with exact invalidation by tags.

A page is cached only for a reader with no session (editors always see live pages),
for GET and HEAD, when the query string holds nothing but a page number, and when
the response is a 200 that sets no cookie. Under a surge one request renders a page
while the others wait for it or get the previous copy; an ETag lets browsers, proxies
and CDNs revalidate with a 304.
"""

import hashlib
import logging
import re
import time

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_vary_headers

from . import compression, purge, tags

logger = logging.getLogger("masthead.caching")

# Page numbers of listings ("page") and of Django's sitemaps ("p").
ALLOWED_QUERY_KEYS = {"page", "p"}
# Responses whose templates cannot declare what they show are tagged by address.
# The corrections list changes whenever a story is (re)published or withdrawn, as feeds do.
PATH_TAGS = (
    ("/feeds/", tags.FEEDS),
    ("/sitemap", tags.SITEMAPS),
    ("/news-sitemap", tags.SITEMAPS),
    ("/corrections/", tags.FEEDS),
)
EXCLUDED_PREFIXES = ("/admin/", "/documents/", "/media/", "/static/", "/search/", "/_util/")
KEPT_HEADERS = (
    "Content-Type",
    "Content-Language",
    "Content-Disposition",
    "Last-Modified",
    "Link",
    "X-Robots-Tag",
    "Cache-Tag",
    "Access-Control-Allow-Origin",
    # Set by middleware that runs inside this one for a render but not for a hit.
    "X-Frame-Options",
    "Vary",
)
WAIT_STEP = 0.05


def _setting(name: str, default):
    return getattr(settings, name, default)


# A page number as readers' links write it; anything else bypasses the cache, so
# made-up values can neither fill it with copies nor be stored.
PAGE_NUMBER = re.compile(r"[1-9][0-9]{0,5}")


def cache_key(request: HttpRequest) -> str:
    pages = "|".join(request.GET.get(name, "") for name in sorted(ALLOWED_QUERY_KEYS))
    # The scheme is part of the key: absolute links in a page (structured data, feeds)
    # follow it, and X-Forwarded-Proto decides it behind a proxy.
    raw = f"{request.scheme}|{request.get_host()}|{request.path}|{pages}"
    return "mh:page:" + hashlib.sha256(raw.encode("utf-8", "surrogateescape")).hexdigest()


def is_cacheable_request(request: HttpRequest) -> bool:
    if not _setting("MASTHEAD_PAGE_CACHE", True):
        return False
    if request.method not in ("GET", "HEAD"):
        return False
    if request.path.startswith(EXCLUDED_PREFIXES):
        return False
    if settings.SESSION_COOKIE_NAME in request.COOKIES or "HTTP_AUTHORIZATION" in request.META:
        return False
    # Unknown parameters (tracking codes, cache busters, hostile input) bypass the
    # cache entirely, so they can neither poison it nor fill it.
    return set(request.GET.keys()) <= ALLOWED_QUERY_KEYS and all(
        len(values) == 1 and PAGE_NUMBER.fullmatch(values[0]) for _, values in request.GET.lists()
    )


def is_storable(response: HttpResponse) -> bool:
    return (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        and "private" not in response.get("Cache-Control", "")
        and "no-store" not in response.get("Cache-Control", "")
    )


def untagged_is_private(request: HttpRequest, response: HttpResponse) -> HttpResponse:
    """Keep a proxy from storing a response no BAN can reach.

    A copy a proxy keeps is dropped by its tags (purge.py); one without tags (rendered
    while the page cache was unavailable, or by a view that set its own public policy
    on an uncached path) would be served stale for its whole lifetime. Files under the
    static and media addresses never change under one name and keep their policy.
    """
    control = response.get("Cache-Control", "")
    if (
        "public" in control
        and "X-Cache-Tags" not in response
        and not request.path.startswith((settings.STATIC_URL, settings.MEDIA_URL))
    ):
        response["Cache-Control"] = "private, max-age=0"
    return response


def public_cache_control(fresh: int, stale: int) -> str:
    # Browsers revalidate every time (cheap with the ETag); shared caches keep the page
    # for `fresh` seconds and may serve it stale while they refetch.
    return f"public, max-age=0, s-maxage={fresh}, stale-while-revalidate={stale}"


# Per process: page-cache key -> (epoch token read before the tag check, the copy's ETag
# and expiry), for copies whose tags were all unchanged at that epoch (tags.py, "epoch").
_checked: dict[str, tuple] = {}
MAX_CHECKED = 10_000


def entry_state(entry: dict, key: str | None = None) -> str:
    """Return whether a stored copy is "fresh", "stale" (servable while re-rendering) or "withdrawn"."""
    # The same cheap token the fast path keeps its answers by (one stat on the embedded
    # default), so a hit through Django does not read and unpickle the epoch either.
    epoch = tags.epoch_token() if key is not None else None
    stamp = (epoch, entry["etag"], entry["fresh_until"])
    if epoch is None or _checked.get(key) != stamp:
        current = tags.versions(entry["tags"].keys())
        if any(current[name][1] != stored[1] for name, stored in entry["tags"].items()):
            return "withdrawn"
        if any(current[name][0] != stored[0] for name, stored in entry["tags"].items()):
            return "stale"
        if epoch is not None:
            if len(_checked) >= MAX_CHECKED:
                _checked.clear()
            _checked[key] = stamp
    return "fresh" if time.time() < entry["fresh_until"] else "stale"


class PageCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return untagged_is_private(request, self._handle(request))

    def _handle(self, request: HttpRequest) -> HttpResponse:
        if not is_cacheable_request(request):
            return self.get_response(request)
        fresh_for = int(_setting("MASTHEAD_PAGE_CACHE_SECONDS", 60))
        stale_for = int(_setting("MASTHEAD_PAGE_CACHE_STALE_SECONDS", 300))
        key = cache_key(request)
        entry = cache.get(key)
        if entry is not None:
            state = entry_state(entry, key)
            if state == "fresh":
                return self._respond(request, entry, "HIT", key)
            if state == "stale":
                if cache.add(key + ":lock", 1, timeout=30):
                    return self._render_holding_lock(request, key, fresh_for, stale_for)
                return self._respond(request, entry, "STALE", key)
        # Nothing servable: one request renders, the others wait for its result.
        acquired = cache.add(key + ":lock", 1, timeout=30)
        if acquired is None:
            # The cache backend is down (django-redis answers None): serve uncached.
            logger.warning("Page cache unavailable; serving %s uncached", request.path)
            return self.get_response(request)
        if acquired:
            return self._render_holding_lock(request, key, fresh_for, stale_for)
        waited = 0.0
        limit = float(_setting("MASTHEAD_PAGE_CACHE_WAIT_SECONDS", 10))
        while waited < limit:
            time.sleep(WAIT_STEP)
            waited += WAIT_STEP
            entry = cache.get(key)
            if entry is not None and entry_state(entry, key) == "fresh":
                return self._respond(request, entry, "HIT", key)
        # The renderer is slow or gone: render without storing rather than fail.
        return self._render(request, key, fresh_for, stale_for, locked=False)

    def _render_holding_lock(self, request, key, fresh_for, stale_for) -> HttpResponse:
        """Render and store, unless another process stored a fresh copy meanwhile.

        Between this request's read and its lock, another worker may have rendered,
        stored and released the lock: without a second look this one would render the
        same page again (two renders of one change, seen across workers on Redis).
        """
        entry = cache.get(key)
        if entry is not None and entry_state(entry, key) == "fresh":
            cache.delete(key + ":lock")
            return self._respond(request, entry, "HIT", key)
        return self._render(request, key, fresh_for, stale_for, locked=True)

    def _render(self, request, key, fresh_for, stale_for, *, locked: bool) -> HttpResponse:
        request._masthead_cache_tags = {tags.SITE}
        tags.add(request, *(tag for prefix, tag in PATH_TAGS if request.path.startswith(prefix)))
        # Read before rendering: a change that lands while this page renders (another
        # worker publishing, the scheduler) moves it, and the copy, which may show the
        # rows from before the change, is then not stored.
        changed_since = tags.epoch_token()
        try:
            response = self.get_response(request)
            if hasattr(response, "render") and not getattr(response, "is_rendered", True):
                response.render()
            # A page that used a CSRF token belongs to one reader and is never shared.
            if not is_storable(response) or request.META.get("CSRF_COOKIE_NEEDS_UPDATE"):
                return response
            body = response.content
            etag = '"' + hashlib.sha256(body).hexdigest()[:32] + '"'
            headers = [(h, response[h]) for h in KEPT_HEADERS if h in response]
            # Lets a proxy in front drop exactly the pages a change affects (purge.py).
            headers.append(("X-Cache-Tags", purge.header_value(request._masthead_cache_tags)))
            entry = {
                "status": response.status_code,
                "headers": headers,
                "body": body,
                "etag": etag,
                # Compressed once here, so no hit pays for it (compression.py).
                "gzip": compression.compress(body)
                if compression.is_compressible(response.get("Content-Type", ""), len(body))
                else None,
                "tags": tags.versions(request._masthead_cache_tags),
                "fresh_until": time.time() + fresh_for,
                # A view that chose its own public policy (feeds) keeps it.
                "cache_control": (
                    response["Cache-Control"]
                    if "public" in response.get("Cache-Control", "")
                    else public_cache_control(fresh_for, stale_for)
                ),
            }
            store_for = fresh_for + stale_for
            expires = getattr(request, "_masthead_expires_at", None)
            if expires is not None:
                # A page with an expiry time (core.wagtail_hooks): no copy outlives it.
                left = int(expires - time.time())
                entry["fresh_until"] = min(entry["fresh_until"], expires)
                entry["cache_control"] = public_cache_control(max(0, min(fresh_for, left)), 0)
                store_for = min(store_for, left)
            unchanged = changed_since is not None and tags.epoch_token() == changed_since
            if locked and store_for > 0 and unchanged:
                cache.set(key, entry, timeout=store_for)
            return self._respond(request, entry, "MISS", key)
        finally:
            if locked:
                cache.delete(key + ":lock")

    def _respond(self, request: HttpRequest, entry: dict, outcome: str, key: str) -> HttpResponse:
        body, etag, encoded = variant(entry, request.META.get("HTTP_ACCEPT_ENCODING", ""))
        if request.headers.get("If-None-Match") == etag:
            response = HttpResponse(status=304)
            for name, value in entry["headers"]:
                if name == "X-Cache-Tags":  # a proxy revalidating keeps its tags
                    response[name] = value
        else:
            response = HttpResponse(body, status=entry["status"])
            for name, value in entry["headers"]:
                response[name] = value
            response["Content-Length"] = str(len(body))
            if encoded:
                response["Content-Encoding"] = "gzip"
        response["ETag"] = etag
        # A copy served while another request re-renders it is good for a moment only:
        # a proxy in front must not keep it for the full s-maxage.
        response["Cache-Control"] = (
            "public, max-age=0, s-maxage=1" if outcome == "STALE" else entry["cache_control"]
        )
        response["X-Cache"] = outcome
        if outcome in ("HIT", "MISS"):
            # Lets the WSGI fast path (fastpath.py) answer the next identical request.
            request.META["masthead.page_cache_key"] = key
        patch_vary_headers(response, vary_headers(entry))
        return response


def variant(entry: dict, accept_encoding: str) -> tuple[bytes, str, bool]:
    """Return the body, ETag and whether it is gzip-encoded, for this Accept-Encoding."""
    if entry.get("gzip") is not None and compression.accepts_gzip(accept_encoding):
        return entry["gzip"], compression.gzip_etag(entry["etag"]), True
    return entry["body"], entry["etag"], False


def vary_headers(entry: dict) -> tuple[str, ...]:
    return ("Cookie", "Accept-Encoding") if entry.get("gzip") is not None else ("Cookie",)
