"""Checking the editor's unsaved changes, so findings update while they write."""

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.template.loader import render_to_string
from django.views.decorators.http import require_POST
from wagtail.models import Page

from .panels import panel_context


@require_POST
def live_check(request, page_id: int) -> HttpResponse:
    """Return the findings list for the edit form's current contents; nothing is saved."""
    from masthead.articles.models import ArticlePage

    page = get_object_or_404(Page, pk=page_id).specific
    if not isinstance(page, ArticlePage):
        raise Http404
    if not page.permissions_for_user(request.user).can_edit():
        raise PermissionDenied
    latest = page.get_latest_revision_as_object()
    form_class = type(page).get_edit_handler().get_form_class()
    form = form_class(
        request.POST,
        request.FILES,
        instance=latest,
        parent_page=page.get_parent(),
        for_user=request.user,
    )
    form.defer_required_fields()
    if not form.is_valid():
        # Half-typed input (a bad date, a slug clash): keep showing the last findings.
        return HttpResponse(status=204)
    candidate = form.save(commit=False)
    context = panel_context(candidate, request.user)
    return HttpResponse(render_to_string("editorial/findings.html", context, request=request))
