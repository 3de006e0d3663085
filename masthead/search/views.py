"""The reader search page: /search/?q=…&section=…&topic=…&author=…&from=…&to=…&sort=…&page=…"""

import datetime as dt
import re

from django.http import HttpRequest
from django.template.response import TemplateResponse
from django.utils.http import urlencode

from masthead.people.models import Author
from masthead.sections.models import Topic

from . import services

_SLUG = re.compile(r"^[-a-zA-Z0-9_]{1,100}$")


def _slug(value: str) -> str:
    return value if _SLUG.match(value or "") else ""


def _date(value: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat((value or "")[:10])
    except ValueError:
        return None


def _int(value: str, default: int = 1) -> int:
    return int(value) if (value or "").isdigit() and len(value) < 6 else default


def search_page(request: HttpRequest) -> TemplateResponse:
    params = request.GET
    query = params.get("q", "")
    filters = services.Filters(
        section=_slug(params.get("section", "")),
        topic=_slug(params.get("topic", "")),
        author=_slug(params.get("author", "")),
        date_from=_date(params.get("from", "")),
        date_to=_date(params.get("to", "")),
    )
    sort = params.get("sort", "relevance")
    results = services.search(query, filters, sort=sort, page=_int(params.get("page", "")))
    kept = {
        "q": query[: services.MAX_QUERY_CHARS],
        "section": filters.section,
        "topic": filters.topic,
        "author": filters.author,
        "from": filters.date_from.isoformat() if filters.date_from else "",
        "to": filters.date_to.isoformat() if filters.date_to else "",
        "sort": results.sort,
    }
    kept = {k: v for k, v in kept.items() if v}
    context = {
        "results": results,
        "query": kept.get("q", ""),
        "search_query": kept.get("q", ""),
        "filters": filters,
        "sort": results.sort,
        "sections": services.public_sections(),
        "topics": Topic.objects.order_by("name").only("name", "slug"),
        "authors": Author.objects.order_by("name").only("name", "slug"),
        "page_query": urlencode(kept),
        "suggestion_query": urlencode({**kept, "q": results.suggestion})
        if results.suggestion
        else "",
    }
    return TemplateResponse(request, "pages/search_page.html", context)
