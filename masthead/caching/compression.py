"""Compressed answers for readers whose browsers accept gzip.

A cached page is compressed once, when it is stored, and kept beside the plain copy:
a hit then costs no compression at all, in Django (PageCacheMiddleware) or before it
(the WSGI fast path). Responses that are not page-cached (search, admin, 404 pages)
are compressed per response by ``TextGZipMiddleware``, Django's GZipMiddleware limited
to text: pictures and other already-compressed media pass through untouched.

Each variant has its own ETag (the gzip copy's ends in ``-gzip``, as Apache does), and
both carry ``Vary: Accept-Encoding`` so a proxy or CDN in front keeps them apart.
"""

import gzip
import re

from django.middleware.gzip import GZipMiddleware

# Smaller bodies gain nothing from compression once headers are counted.
MIN_SIZE = 256
TEXT_TYPES = re.compile(
    r"^(text/|application/(json|ld\+json|xml|rss\+xml|atom\+xml|javascript|manifest\+json)|image/svg\+xml)",
    re.IGNORECASE,
)
_GZIP = re.compile(r"(?:^|,)\s*(gzip|\*)\s*(?:;\s*q\s*=\s*([0-9.]+))?\s*(?=,|$)", re.IGNORECASE)


def accepts_gzip(accept_encoding: str) -> bool:
    """Return whether an Accept-Encoding header allows gzip (``gzip;q=0`` refuses it)."""
    allowed = None
    for name, quality in _GZIP.findall(accept_encoding or ""):
        try:
            ok = float(quality) > 0 if quality else True
        except ValueError:
            ok = False
        if name.lower() == "gzip":
            return ok
        allowed = ok  # "*" decides only where gzip is not named
    return bool(allowed)


def is_compressible(content_type: str, size: int) -> bool:
    return size >= MIN_SIZE and bool(TEXT_TYPES.match(content_type or ""))


def compress(body: bytes) -> bytes:
    """Compress deterministically (no timestamp), so equal pages give equal bytes."""
    return gzip.compress(body, compresslevel=6, mtime=0)


def gzip_etag(etag: str) -> str:
    return etag[:-1] + '-gzip"' if etag.endswith('"') else etag + "-gzip"


class TextGZipMiddleware(GZipMiddleware):
    """Django's GZipMiddleware (with its BREACH padding) for text responses only."""

    def process_response(self, request, response):
        if not TEXT_TYPES.match(response.get("Content-Type", "")) or not accepts_gzip(
            request.META.get("HTTP_ACCEPT_ENCODING", "")
        ):
            return response
        return super().process_response(request, response)
