"""Admin wiring: stop publishing past blocking findings, log overrides, list words."""

import logging

from django.contrib import messages
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail import hooks
from wagtail.log_actions import log
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from .models import EditorialOverride, NewsroomWord
from .panels import OVERRIDE_FIELD

OVERRIDE_ACTION = "editorial.override"
logger = logging.getLogger(__name__)


@hooks.register("register_log_actions")
def register_override_action(actions):
    actions.register_action(
        OVERRIDE_ACTION,
        gettext_lazy("Publish past editorial checks"),
        gettext_lazy("Published past blocking editorial findings"),
    )


@hooks.register("register_admin_urls")
def register_live_check_url():
    from django.urls import path

    from .views import live_check

    return [path("editorial/check/<int:page_id>/", live_check, name="editorial_live_check")]


@hooks.register("before_publish_page")
def block_publishing_on_findings(request, page):
    """Refuse to publish a story with blocking findings unless an editor gives a reason.

    The revision is already saved when this hook runs, so refusing loses nothing.
    """
    from masthead.articles.models import ArticlePage

    from .services import check_page

    if not isinstance(page, ArticlePage):
        return None
    try:
        findings = check_page(page)
    except Exception:
        # Checks that cannot run at all must not hold a story back.
        logger.exception("Editorial checks could not run before publishing page %s", page.pk)
        return None
    blocking = [f for f in findings if f.blocking]
    if not blocking:
        return None
    reason = (request.POST.get(OVERRIDE_FIELD) or "").strip()
    if reason and request.user.has_perm("editorial.override_blocking"):
        summary = [f.as_dict() for f in blocking]
        EditorialOverride.objects.create(
            page=page, user=request.user, reason=reason, findings=summary
        )
        log(
            instance=page,
            action=OVERRIDE_ACTION,
            user=request.user,
            data={"reason": reason, "rules": sorted({f.rule for f in blocking})},
        )
        return None
    _keep_new_page_as_draft(request, page)
    if reason:
        message = _(
            "Only an editor can publish past blocking editorial findings. Your changes are saved as a draft."
        )
    else:
        message = _(
            "Not published: %(count)d blocking editorial findings. Fix them, or as an editor give "
            "a reason in the Editorial checks panel. Your changes are saved as a draft."
        ) % {"count": len(blocking)}
    messages.error(request, message)
    return redirect("wagtailadmin_pages:edit", page.pk)


def _keep_new_page_as_draft(request, page) -> None:
    """Take back the 'live' flag Wagtail's create view sets before this hook runs.

    The create view saves a new page as live and publishes its revision after the
    before_publish_page hook; refusing there would leave a live page without a live
    revision. An existing page keeps whatever version is live.
    """
    from wagtail.models import Page

    match = getattr(request, "resolver_match", None)
    if match is not None and match.url_name == "add" and page.live:
        Page.objects.filter(pk=page.pk).update(live=False, has_unpublished_changes=True)
        page.live = False


class NewsroomWordViewSet(SnippetViewSet):
    model = NewsroomWord
    icon = "edit"
    menu_label = gettext_lazy("Newsroom words")
    list_display = ["word", "note"]
    search_fields = ["word"]
    add_to_admin_menu = False


class EditorialOverrideViewSet(SnippetViewSet):
    model = EditorialOverride
    icon = "warning"
    menu_label = gettext_lazy("Editorial overrides")
    list_display = ["page", "user", "reason", "created_at"]
    inspect_view_enabled = True


register_snippet(NewsroomWordViewSet)
register_snippet(EditorialOverrideViewSet)
