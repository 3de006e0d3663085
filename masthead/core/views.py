"""Views every site needs: media files on the embedded default, and error pages."""

import mimetypes
from pathlib import Path

from django.conf import settings
from django.http import FileResponse, Http404, HttpRequest
from django.template.response import TemplateResponse
from django.utils._os import safe_join

# Renditions (media/images/) are never rewritten under the same name: their file names carry
# a random part (masthead.images.models.MastheadRendition), so browsers may keep them
# for a year without asking again. Originals keep a week.
RENDITIONS_PREFIX = "images/"


def media_cache_control(path: str) -> str:
    if path.startswith(RENDITIONS_PREFIX):
        return "public, max-age=31536000, immutable"
    return "public, max-age=604800"


def serve_media(request: HttpRequest, path: str) -> FileResponse:
    """Serve an uploaded file with its real content type, for the embedded default only."""
    try:
        full_path = Path(safe_join(settings.MEDIA_ROOT, path))
    except Exception:  # SuspiciousFileOperation for paths that escape the media folder
        raise Http404 from None
    if not full_path.is_file():
        raise Http404
    content_type, encoding = mimetypes.guess_type(full_path.name)
    response = FileResponse(
        full_path.open("rb"), content_type=content_type or "application/octet-stream"
    )
    if encoding:
        response.headers["Content-Encoding"] = encoding
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = media_cache_control(path)
    return response


def page_not_found(request: HttpRequest, exception=None) -> TemplateResponse:
    response = TemplateResponse(request, "404.html", status=404)
    response.render()
    return response


def server_error(request: HttpRequest) -> TemplateResponse:
    # No request context: the error may come from the code that builds it.
    from django.http import HttpResponseServerError
    from django.template import loader

    return HttpResponseServerError(loader.get_template("500.html").render({}))
