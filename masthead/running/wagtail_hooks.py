"""Admin: running stories as snippets, and the proposals editors accept or reject."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods
from wagtail import hooks
from wagtail.admin.auth import permission_required
from wagtail.admin.menu import MenuItem
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from .models import RunningStory
from .proposals import SHOWN
from .services import decide, proposals_for

CHANGE = "running.change_runningstory"


class RunningStoryViewSet(SnippetViewSet):
    model = RunningStory
    icon = "list-ul"
    menu_label = gettext_lazy("Running stories")
    menu_order = 220
    add_to_admin_menu = True
    list_display = ["name", "order"]


register_snippet(RunningStoryViewSet)


@permission_required(CHANGE)
@require_http_methods(["GET", "POST"])
def proposals(request, pk: int):
    running = get_object_or_404(RunningStory, pk=pk)
    if request.method == "POST":
        raw = request.POST.get("story", "")
        action = request.POST.get("action")
        allowed = {story.pk for story, _p in proposals_for(running, limit=100)}
        if not raw.isdigit() or int(raw) not in allowed or action not in ("accept", "reject"):
            messages.error(request, _("That story is not among the current proposals."))
        else:
            decide(running, int(raw), accept=action == "accept")
            messages.success(
                request,
                _("Added to the running story.") if action == "accept" else _("Rejected."),
            )
        return redirect("running_proposals", pk=running.pk)
    # One proposal at a time: each decision is weighed into the next (proposals.SHOWN).
    found = proposals_for(running)
    return TemplateResponse(
        request,
        "running/admin/proposals.html",
        {
            "running_story": running,
            "proposals": found[:SHOWN],
            "waiting": len(found) - len(found[:SHOWN]),
            "members": running.timeline(),
        },
    )


@permission_required(CHANGE)
def proposals_index(request):
    rows = [(running, len(proposals_for(running))) for running in RunningStory.objects.all()]
    return TemplateResponse(request, "running/admin/proposals_index.html", {"rows": rows})


@hooks.register("register_admin_urls")
def register_running_urls():
    return [
        path("running/proposals/", proposals_index, name="running_proposals_index"),
        path("running/<int:pk>/proposals/", proposals, name="running_proposals"),
    ]


class ProposalsMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm(CHANGE)


@hooks.register("register_admin_menu_item")
def register_proposals_menu_item():
    return ProposalsMenuItem(
        gettext_lazy("Proposed for running stories"),
        reverse("running_proposals_index"),
        name="running-proposals",
        icon_name="list-ul",
        order=221,
    )
