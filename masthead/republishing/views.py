"""The "Republish this story" page, its counting pixel, and the admin's view of copies."""

import base64

from django.conf import settings
from django.db.models import Count, Sum
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from masthead.articles.models import ArticlePage
from masthead.core import readers
from masthead.core.clients import client_address

from . import copy, counting
from .models import Republication

PIXEL = base64.b64decode("R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7")


def republishable_story(story_id: int) -> ArticlePage:
    """Return the live, public story ``story_id`` if its licence allows republication."""
    story = (
        ArticlePage.objects.live()
        .public()
        .filter(pk=story_id, first_published_at__isnull=False)
        .select_related("lead_image")
        .first()
    )
    if story is None or not story.licence_terms.republishable:
        raise Http404(_("This story cannot be republished."))
    return story


@require_safe
def republish_page(request, story_id: int):
    story = republishable_story(story_id)
    html = copy.republish_html(story, request)
    response = TemplateResponse(
        request,
        "republishing/republish_page.html",
        {"page": story, "story": story, "html": html, "licence": story.licence_terms},
    )
    # The copy carries a counting image for this story only; it is cheap to build and
    # not worth a cached page that a licence change would have to find.
    response["Cache-Control"] = "private, no-cache"
    return response


@require_safe
def pixel(request, token: str):
    """Count a read of a republished copy; answer with a transparent pixel."""
    article_id = copy.read_token(token)
    if article_id is None:
        response = HttpResponse(_("This counting link is not valid."), status=400)
    else:
        host, url = counting.referrer(request)
        own = request.get_host().split(":")[0].lower()
        counts = getattr(settings, "DISCOVERY_COUNT_VIEWS", True)
        if (
            counts
            and host != own
            and not readers.refusal(request)
            and ArticlePage.objects.live().public().filter(pk=article_id).exists()
            and counting.first_read_today(
                article_id,
                host,
                client_address(request),
                request.META.get("HTTP_USER_AGENT", ""),
            )
        ):
            counting.record(article_id, host, url)
        response = HttpResponse(PIXEL, content_type="image/gif")
    response["Cache-Control"] = "no-store, private"
    # The pixel is shown on other sites' pages.
    response["Cross-Origin-Resource-Policy"] = "cross-origin"
    return response


def report(request):
    """List stories republished elsewhere, most read first."""
    rows = (
        Republication.objects.values("article_id")
        .annotate(sites=Count("id"), views=Sum("views"))
        .order_by("-views")[:200]
    )
    stories = ArticlePage.objects.in_bulk([row["article_id"] for row in rows])
    items = [
        (stories[row["article_id"]], row["sites"], row["views"])
        for row in rows
        if row["article_id"] in stories
    ]
    return TemplateResponse(request, "republishing/report.html", {"items": items})


def story_report(request, page_id: int):
    """Show where one story was republished, and which sites to tell about a correction."""
    story = get_object_or_404(ArticlePage, pk=page_id)
    copies = list(story.republications.order_by("-views"))
    corrections = [
        (correction, [c for c in copies if c.host and c.first_seen <= correction.published_at])
        for correction in story.correction_list
    ]
    return TemplateResponse(
        request,
        "republishing/story_report.html",
        {
            "story": story,
            "copies": copies,
            "total": sum(c.views for c in copies),
            "corrections": corrections,
            "licence": story.licence_terms,
        },
    )
