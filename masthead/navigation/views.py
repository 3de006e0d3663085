"""The site's SVG favicon, served from the identity setting under the site's own address."""

from django.http import Http404, HttpRequest, HttpResponse

from .identity import for_request

# Defence in depth for a file that was checked on upload (svg_icon.py): opened on its
# own, the drawing may use its inline styles and nothing else: no script, no fetch.
SVG_POLICY = "default-src 'none'; style-src 'unsafe-inline'; sandbox"


def favicon_svg(request: HttpRequest) -> HttpResponse:
    icon = for_request(request)["favicon_svg"]
    if icon is None:
        raise Http404("No SVG favicon is set.")
    response = HttpResponse(icon["text"], content_type="image/svg+xml")
    response.headers["Content-Security-Policy"] = SVG_POLICY
    response.headers["X-Content-Type-Options"] = "nosniff"
    # Pages name it with a version of its content (?v=...): a new icon has a new address.
    response.headers["Cache-Control"] = "public, max-age=86400"
    return response
