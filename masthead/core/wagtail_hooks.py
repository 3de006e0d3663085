from wagtail import hooks

from .admin_search import with_newest_first_autocomplete
from .admin_views import page_viewsets


@hooks.register("register_admin_viewset")
def register_page_viewsets():
    return page_viewsets()


@hooks.register("construct_page_chooser_queryset")
def chooser_search_newest_first(pages, request):
    # The chooser's search calls autocomplete() with Wagtail's relevance ordering, whose
    # cost grows with the square of the matches (masthead.core.admin_search).
    return with_newest_first_autocomplete(pages)
