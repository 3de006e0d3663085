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

    from .views import accept_word, live_check

    return [
        path("editorial/check/<int:page_id>/", live_check, name="editorial_live_check"),
        path("editorial/accept-word/", accept_word, name="editorial_accept_word"),
    ]


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


@hooks.register("masthead_publish_gate")
def refuse_blocking_findings(page, revision=None, user=None, road="publish"):
    """The publishing gate (masthead.operations.gate) on every road to live: a story
    with blocking findings stays a draft unless an editor overrode them for this
    version (the admin's Publish button records the override first)."""
    from masthead.articles.models import ArticlePage

    from .services import check_page

    if not isinstance(page, ArticlePage):
        return None
    findings = check_page(page)
    blocking = [f for f in findings if f.blocking]
    if not blocking:
        return None
    if revision is not None and revision.pk:
        overridden = EditorialOverride.objects.filter(
            page_id=page.pk, created_at__gte=revision.created_at
        )
        if overridden.exists():
            return None
    return _(
        "%(count)d blocking editorial findings (%(rules)s). Fix them, or as an editor give "
        "a reason in the Editorial checks panel and publish."
    ) % {"count": len(blocking), "rules": ", ".join(sorted({f.rule for f in blocking}))}


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


@hooks.register("before_bulk_action")
def refuse_bulk_publishing_past_review(request, action_type, objects, action_class_instance):
    """Bulk publish only stories that the single-story path would publish.

    Bulk publishing publishes each page's latest revision with no hook of its own: a
    story a contributor had submitted for approval went live without an approval, and
    blocking editorial findings were never looked at. Such stories are refused here
    (the whole batch, with their headlines), and go through approval or the edit form.
    """
    from wagtail.models import Page

    from masthead.articles.models import ArticlePage

    from .services import check_page

    if action_type != "publish" or not objects or not isinstance(objects[0], Page):
        return None
    pages = list(objects)
    if request.POST.get("include_descendants"):
        for page in objects:
            pages.extend(page.get_descendants().not_live().defer_streamfields())
    in_review, blocked = [], []
    for page in pages:
        if page.workflow_in_progress:
            in_review.append(page.title)
            continue
        story = page.specific_deferred
        if not isinstance(story, ArticlePage):
            continue
        latest = story.get_latest_revision_as_object()
        try:
            if any(f.blocking for f in check_page(latest)):
                blocked.append(page.title)
        except Exception:
            logger.exception("Editorial checks could not run before bulk publishing %s", page.pk)
    if not in_review and not blocked:
        return None
    if in_review:
        messages.error(
            request,
            _("Not published: awaiting an editor's approval: %(titles)s. Approve them instead.")
            % {"titles": "; ".join(in_review)},
        )
    if blocked:
        messages.error(
            request,
            _(
                "Not published: blocking editorial findings in %(titles)s. Publish them from "
                "the edit form, where an editor can give a reason."
            )
            % {"titles": "; ".join(blocked)},
        )
    return redirect(action_class_instance.next_url)
