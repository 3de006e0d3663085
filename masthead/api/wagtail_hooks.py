from wagtail import hooks

from .admin_views import ApiKeyViewSet


@hooks.register("register_admin_viewset")
def register_api_keys():
    return ApiKeyViewSet("api_keys")
