from django.templatetags.static import static
from django.utils.html import format_html
from wagtail import hooks

from masthead.compat.admin_search import with_newest_first_autocomplete
from masthead.compat.admin_views import page_viewsets


@hooks.register("register_admin_viewset")
def register_page_viewsets():
    return page_viewsets()


@hooks.register("insert_editor_js")
def submit_after_autosave():
    # A Save or Publish clicked while an autosave is on its way waits for its answer
    # (the first autosave of a new page creates it); see the script's header.
    return format_html(
        '<script src="{}"></script>', static("masthead/admin/submit-after-autosave.js")
    )


@hooks.register("construct_page_chooser_queryset")
def chooser_search_newest_first(pages, request):
    # The chooser's search calls autocomplete() with Wagtail's relevance ordering, whose
    # cost grows with the square of the matches (masthead.compat.admin_search).
    return with_newest_first_autocomplete(pages)


@hooks.register("before_serve_page")
def serve_nothing_past_expiry(page, request, serve_args, serve_kwargs):
    """Answer 404 for a page whose expiry time has passed, before the scheduler's pass.

    Wagtail unpublishes expired pages only when ``publish_scheduled`` runs; until then
    the page would still be served. A page that will expire tells the page cache when,
    so no stored copy outlives it (masthead.caching.middleware).
    """
    from django.http import Http404
    from django.utils import timezone

    expire_at = getattr(page, "expire_at", None)
    if expire_at is None or getattr(request, "is_preview", False):
        return None
    if expire_at <= timezone.now():
        raise Http404
    request._masthead_expires_at = expire_at.timestamp()
    return None
