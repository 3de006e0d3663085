"""Content-Security-Policy header: strict for reader pages, workable for Wagtail's admin.

Reader pages carry no inline script or style (templates keep them in static files;
JSON-LD is a data block, which CSP does not run), so their policy allows scripts and
styles from the site itself only. Wagtail's admin relies on inline scripts and styles,
so paths under the admin get a policy that allows those but still refuses plugins,
foreign scripts, foreign form targets and framing by other sites. Both policies are
settings (``MASTHEAD_CSP``, ``MASTHEAD_CSP_ADMIN``); an empty value sends no header.
"""

from urllib.parse import urlsplit

from django.conf import settings
from django.http import HttpRequest, HttpResponse

HEADER = "Content-Security-Policy"


def _media_origin() -> str:
    parts = urlsplit(settings.MEDIA_URL)
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme and parts.netloc else ""


def public_policy() -> str:
    media = _media_origin()
    images = " ".join(filter(None, ["'self'", "data:", media]))
    return (
        "default-src 'self'; script-src 'self'; style-src 'self'; "
        f"img-src {images}; font-src 'self'; "
        # Embedded videos and maps come from other sites in iframes.
        "frame-src https:; object-src 'none'; base-uri 'self'; form-action 'self'; "
        "frame-ancestors 'none'"
    )


def admin_policy() -> str:
    return (
        "default-src 'self'; script-src 'self' 'unsafe-inline'; "
        "style-src 'self' 'unsafe-inline'; img-src 'self' data: blob: https:; "
        "font-src 'self' data:; connect-src 'self'; frame-src 'self' https:; "
        "worker-src 'self' blob:; object-src 'none'; base-uri 'self'; form-action 'self'; "
        "frame-ancestors 'self'"
    )


class ContentSecurityPolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.public = getattr(settings, "MASTHEAD_CSP", None)
        self.admin = getattr(settings, "MASTHEAD_CSP_ADMIN", None)
        if self.public is None:
            self.public = public_policy()
        if self.admin is None:
            self.admin = admin_policy()
        self.admin_prefix = getattr(settings, "MASTHEAD_ADMIN_PATH_PREFIX", "/admin/")

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if HEADER in response.headers:
            return response
        policy = self.admin if request.path.startswith(self.admin_prefix) else self.public
        if policy:
            response.headers[HEADER] = policy
        return response
