"""The findings panel's requests: check unsaved changes, accept a word for the newsroom."""

import re

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from wagtail.models import Page

from .models import NewsroomWord
from .panels import panel_context

# A word as the checks read it: letters, with apostrophes and hyphens inside.
_WORD_RE = re.compile(r"^[^\W\d_]+(?:['’-][^\W\d_]+)*$")


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
    try:
        valid = form.is_valid()
    except (KeyError, ValueError, ValidationError):
        # Not the edit form's own data (a field such as ``body-count`` missing): the
        # block widgets index the POST directly and would fail with a 500.
        return HttpResponse(
            _("The story's form was incomplete; nothing was checked."),
            status=400,
            content_type="text/plain; charset=utf-8",
        )
    if not valid:
        # Half-typed input (a bad date, a slug clash): keep showing the last findings.
        return HttpResponse(status=204)
    candidate = form.save(commit=False)
    context = panel_context(candidate, request.user)
    return HttpResponse(render_to_string("editorial/findings.html", context, request=request))


@require_POST
def accept_word(request) -> JsonResponse:
    """Add a word the checks flagged to the newsroom's dictionary, for every story.

    One click in the findings panel: the word is saved as a NewsroomWord (listed and
    editable under Snippets, Newsroom words) and the newsroom dictionary is rebuilt on
    the next check. For a name spelt two ways, ``also`` carries the other spelling: both
    are right (two people, two places), so both are saved, and neither is then taken
    for a slip of the other. Editors only (the permission to add newsroom words).
    """
    if not request.user.has_perm("editorial.add_newsroomword"):
        return JsonResponse(
            {
                "ok": False,
                "message": _("Only an editor can add words to the newsroom's dictionary."),
            },
            status=403,
        )
    words = [(request.POST.get("word") or "").strip()]
    also = (request.POST.get("also") or "").strip()
    if also:
        words.append(also)
    max_length = NewsroomWord._meta.get_field("word").max_length
    if any(not w or len(w) > max_length or not _WORD_RE.match(w) for w in words):
        return JsonResponse(
            {
                "ok": False,
                "message": _("Give one word, of letters only, to add to the dictionary."),
            },
            status=400,
        )
    note = _("Accepted as correct from the editorial checks by %(user)s.") % {
        "user": request.user.get_username()
    }
    created = []
    for word in words:
        try:
            with transaction.atomic():
                _entry, new = NewsroomWord.objects.get_or_create(word=word, defaults={"note": note})
        except IntegrityError:
            new = False  # another editor added it at the same moment
        if new:
            created.append(word)
    quoted = _(" and ").join(f"“{w}”" for w in words)
    if created:
        message = _("%(words)s now in the newsroom's dictionary.") % {"words": quoted}
    else:
        message = _("%(words)s already in the newsroom's dictionary.") % {"words": quoted}
    return JsonResponse({"ok": True, "words": words, "message": message})
