from django.conf import settings
from django.http import HttpRequest


def site_meta(request: HttpRequest) -> dict:
    """Return the publication name for every template."""
    return {"publication_name": settings.WAGTAIL_SITE_NAME}
