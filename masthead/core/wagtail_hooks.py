from wagtail import hooks

from .admin_views import page_viewsets


@hooks.register("register_admin_viewset")
def register_page_viewsets():
    return page_viewsets()
