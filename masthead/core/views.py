"""Views every site needs: media files on the embedded default, and error pages."""

import logging
import mimetypes
import sys
from pathlib import Path

from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.http import (
    FileResponse,
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseRedirect,
    HttpResponseServerError,
)
from django.template.response import TemplateResponse
from django.utils._os import safe_join

from .media_access import protection_for
from .outages import Outage

# Errors of a database that cannot be reached or dropped the connection; psycopg_pool's
# PoolTimeout reaches views as OperationalError too.
DATABASE_ERRORS = (OperationalError, InterfaceError)
RETRY_AFTER_SECONDS = 10
DATABASE_OUTAGE = Outage(logging.getLogger("masthead.database"), "The database")

# Renditions (media/images/) are never rewritten under the same name: their file names carry
# a random part (masthead.images.models.MastheadRendition), so browsers may keep them
# for a year without asking again. Originals keep a week.
RENDITIONS_PREFIX = "images/"


def media_cache_control(path: str) -> str:
    if path.startswith(RENDITIONS_PREFIX):
        return "public, max-age=31536000, immutable"
    return "public, max-age=604800"


def serve_media(request: HttpRequest, path: str) -> FileResponse | HttpResponseRedirect:
    """Serve an uploaded file with its real content type, for the embedded default only.

    A file of a restricted collection is served only to a request its restrictions accept;
    others get the document's checked address (its password form) or a 404.
    """
    try:
        full_path = Path(safe_join(settings.MEDIA_ROOT, path))
    except Exception:  # SuspiciousFileOperation for paths that escape the media folder
        raise Http404 from None
    try:
        found = full_path.is_file()
    except OSError:  # a name longer than the file system allows (ENAMETOOLONG)
        found = False
    if not found:
        raise Http404
    protection = protection_for(path)
    if protection is not None and not protection.accepts(request):
        if protection.checked_url:
            return HttpResponseRedirect(protection.checked_url)
        raise Http404
    content_type, encoding = mimetypes.guess_type(full_path.name)
    response = FileResponse(
        full_path.open("rb"), content_type=content_type or "application/octet-stream"
    )
    if encoding:
        response.headers["Content-Encoding"] = encoding
    response.headers["X-Content-Type-Options"] = "nosniff"
    if content_type == "image/svg+xml":
        # An SVG opened on its own is a document of this origin: draw it, run nothing
        # (the SVG favicon is checked on upload; this holds for any other SVG file too).
        response.headers["Content-Security-Policy"] = (
            "default-src 'none'; style-src 'unsafe-inline'; sandbox"
        )
    response.headers["Cache-Control"] = (
        "private, no-store" if protection is not None else media_cache_control(path)
    )
    return response


def page_not_found(request: HttpRequest, exception=None) -> TemplateResponse:
    response = TemplateResponse(request, "404.html", status=404)
    response.render()
    return response


def server_error(request: HttpRequest) -> HttpResponse:
    """Answer an unexpected error: 503 with Retry-After when the database is out of reach.

    A database that refuses connections (too many clients, restarting, a pool that
    stayed empty for MASTHEAD_DB_WAIT_SECONDS) is a temporary condition, not a bug:
    readers and proxies get 503 and a time to come back, and the log gets one line per
    outage (masthead.core.outages) instead of a traceback per request.
    """
    # No request context: the error may come from the code that builds it.
    from django.template import loader

    error = sys.exc_info()[1]
    if isinstance(error, DATABASE_ERRORS):
        DATABASE_OUTAGE.failed(_first_line(error))
        response = HttpResponse(loader.get_template("503.html").render({}), status=503)
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        response["Cache-Control"] = "no-store"
        # Django's request logger skips a response marked as logged (log_response).
        response._has_been_logged = True
        return response
    return HttpResponseServerError(loader.get_template("500.html").render({}))


def serve_document(request: HttpRequest, document_id: int, document_filename: str):
    """Serve a document through Wagtail's view, without its ``Content-Encoding: None``.

    Wagtail's sendfile helper sets the header from ``mimetypes.guess_type``, which gives
    None for every ordinary file name; the header then reads "None", which is not an
    encoding. Everything else (restrictions, ETag, Content-Disposition) is Wagtail's.
    """
    from wagtail.documents.views.serve import serve

    response = serve(request, document_id, document_filename)
    if response.get("Content-Encoding") in ("None", ""):
        del response["Content-Encoding"]
    return response


def database_answered(sender, **kwargs) -> None:
    """End a database outage when a connection is made again (connection_created)."""
    DATABASE_OUTAGE.recovered()


def _first_line(error: BaseException) -> str:
    text = str(error).strip()
    return f"{type(error).__name__}: {text.splitlines()[0] if text else ''}"
