from django.http import HttpRequest

from .identity import for_request


def identity(request: HttpRequest) -> dict:
    """Give every template the site's identity and menus, and the publication's name."""
    site_identity = for_request(request)
    return {"site_identity": site_identity, "publication_name": site_identity["name"]}
