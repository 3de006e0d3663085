"""The counting beacon and the admin reports for most-read stories."""

import base64
import datetime as dt

from django.conf import settings
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from masthead.articles.models import ArticlePage
from masthead.core import readers
from masthead.core.clients import client_address

from . import charts, counter, popular
from .models import ArticleView

PIXEL = base64.b64decode("R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7")
RANGES = {"1": 1, "7": 7, "30": 30}


@require_safe
def beacon(request, token: str):
    """Count a view of the story named by ``token``; answer with a transparent pixel.

    Crawlers, prefetches, HEAD requests and logged-in staff get the pixel without a
    count. A forged or expired token is refused with 400.
    """
    article_id = counter.read_token(token)
    if article_id is None:
        response = HttpResponse(_("This counting link is not valid."), status=400)
    else:
        counting = getattr(settings, "DISCOVERY_COUNT_VIEWS", True)
        if counting and not readers.refusal(request) and popular.is_countable(article_id):
            counter.record_view(
                article_id,
                client_address(request),
                request.META.get("HTTP_USER_AGENT", ""),
            )
        response = HttpResponse(PIXEL, content_type="image/gif")
    response["Cache-Control"] = "no-store, private"
    return response


def most_read_report(request):
    """List the most-read stories for the last day, week or month."""
    days = RANGES.get(request.GET.get("days", "7"), 7)
    ranking = ArticleView.objects.most_read(days=days, limit=200)
    pages = ArticlePage.objects.in_bulk([article_id for article_id, _ in ranking])
    rows = [(pages[a], round(v)) for a, v in ranking if a in pages]
    page_obj = Paginator(rows, 50).get_page(request.GET.get("p"))
    return TemplateResponse(
        request,
        "discovery/most_read_report.html",
        {"rows": page_obj, "days": days, "ranges": [1, 7, 30]},
    )


def story_views(request, page_id: int):
    """Show one story's daily views as a chart."""
    story = get_object_or_404(ArticlePage, pk=page_id)
    try:
        days = max(7, min(int(request.GET.get("days", 30)), 365))
    except ValueError:
        days = 30
    today = timezone.localdate()
    start = today - dt.timedelta(days=days - 1)
    counts = dict(
        ArticleView.objects.filter(article=story, day__gte=start).values_list("day", "views")
    )
    series = [
        (start + dt.timedelta(days=i), counts.get(start + dt.timedelta(days=i), 0))
        for i in range(days)
    ]
    return TemplateResponse(
        request,
        "discovery/story_views.html",
        {
            "story": story,
            "days": days,
            "series": series,
            "total": sum(v for _, v in series),
            "chart": charts.bar_chart(series, label=_("Views per day of %s") % story.title),
        },
    )
