"""The read API, /api/v1/, built on django-ninja.

django-ninja (a dependency of Wagtail 8 already) generates the OpenAPI 3.1 document
from the same pydantic classes that validate each answer, so the document cannot drift
from what is served; Wagtail's own API has offset pagination and no OpenAPI document,
and Django REST framework would need a second library (drf-spectacular) for it.
"""

import datetime as dt

from django.http import Http404, HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import NinjaAPI, Query
from ninja.errors import AuthenticationError, HttpError, ValidationError

from . import cursor, ninjs, schemas, serialize, visibility
from .access import AUTH, SharedRateLimit
from .responses import json_response

MAX_LIMIT = 100
DEFAULT_LIMIT = 20
PUBLISHED = cursor.Ordering("first_published_at", descending=True)
BY_SLUG = cursor.Ordering("slug", descending=False)
NEWEST = cursor.Ordering("published_at", descending=True)
BY_PATH = cursor.Ordering("path", descending=False)

api = NinjaAPI(
    title="Masthead read API",
    version="1.0",
    description=(
        "Published, public stories, sections, topics, authors, corrections and pages. "
        "Lists are newest first and paginated by cursor: follow `next` until it is null."
    ),
    urls_namespace="api-v1",
    auth=AUTH,
    throttle=[SharedRateLimit()],
    docs_url="/docs",
)

ERRORS = {
    400: schemas.Error,
    401: schemas.Error,
    404: schemas.Error,
    422: schemas.Error,
    429: schemas.Error,
}


@api.exception_handler(ValidationError)
def invalid_parameters(request, exc):
    return api.create_response(request, {"detail": exc.errors}, status=422)


@api.exception_handler(AuthenticationError)
def not_authenticated(request, exc):
    response = api.create_response(request, {"detail": str(exc)}, status=401)
    response["WWW-Authenticate"] = 'Bearer realm="api"'
    return response


@api.exception_handler(Http404)
def not_found(request, exc):
    return api.create_response(request, {"detail": _("There is no such item.")}, status=404)


def _scope(request) -> visibility.Scope:
    return request.auth


def _limit(limit: int) -> int:
    return max(1, min(limit, MAX_LIMIT))


def _next_url(request, next_cursor: str | None) -> str | None:
    if next_cursor is None:
        return None
    params = request.GET.copy()
    params["cursor"] = next_cursor
    return serialize.absolute(f"{request.path}?{params.urlencode()}", request)


def _aware(value: dt.datetime | None) -> dt.datetime | None:
    if value is not None and timezone.is_naive(value):
        return timezone.make_aware(value, dt.UTC)
    return value


def _filtered_stories(request, section, topic, author, updated_since, q):
    scope = _scope(request)
    qs = visibility.stories(scope)
    if section:
        found = visibility.sections(scope).filter(slug=section).first()
        if found is None:
            raise HttpError(404, _("There is no such section."))
        qs = qs.descendant_of(found)
    if topic:
        qs = qs.filter(article_topics__topic__slug=topic)
    if author:
        qs = qs.filter(article_authors__author__slug=author)
    if updated_since:
        qs = qs.filter(last_published_at__gte=_aware(updated_since))
    if q:
        # Wagtail's search backend (the site's own) finds the ids; the keyset order and
        # the visibility rules still apply to them.
        ids = [p.pk for p in qs.search(q[:200], order_by_relevance=False)[:1000]]
        qs = qs.filter(pk__in=ids)
    return qs


class StoryFilters(schemas.Schema):
    section: str | None = None
    topic: str | None = None
    author: str | None = None
    updated_since: dt.datetime | None = None
    q: str | None = None
    cursor: str | None = None
    limit: int = DEFAULT_LIMIT


@api.get("/stories/", response={200: schemas.StoryList, **ERRORS}, url_name="stories")
def list_stories(request: HttpRequest, filters: Query[StoryFilters]):
    """Stories, newest first. Filters combine; `updated_since` is an ISO 8601 time."""

    def compute():
        qs = _filtered_stories(
            request,
            filters.section,
            filters.topic,
            filters.author,
            filters.updated_since,
            filters.q,
        )
        rows, next_cursor = cursor.page(
            serialize.with_relations(qs), PUBLISHED, filters.cursor, _limit(filters.limit)
        )
        return {
            "results": serialize.stories(rows, request),
            "next": _next_url(request, next_cursor),
            "next_cursor": next_cursor,
        }

    return json_response(request, "stories", compute, schemas.StoryList)


def _story(request, story_id: int):
    story = serialize.one_story(visibility.stories(_scope(request)), story_id)
    if story is None:
        raise Http404
    return story


@api.get("/stories/{story_id}/", response={200: schemas.Story, **ERRORS}, url_name="story")
def get_story(request: HttpRequest, story_id: int):
    """One story with its body (HTML, absolute links) and corrections."""
    return json_response(
        request,
        "story",
        lambda: serialize.story_detail(_story(request, story_id), request),
        schemas.Story,
    )


@api.get(
    "/ninjs/stories/",
    response={200: schemas.NinjsStoryList, **ERRORS},
    url_name="stories_ninjs",
    by_alias=True,  # ninjs's "schema" (a pydantic name) is declared by alias
)
def list_stories_ninjs(request: HttpRequest, filters: Query[StoryFilters]):
    """Stories as IPTC ninjs 2.0 objects, with the same filters and cursor as /stories/."""

    def compute():
        qs = _filtered_stories(
            request,
            filters.section,
            filters.topic,
            filters.author,
            filters.updated_since,
            filters.q,
        )
        rows, next_cursor = cursor.page(
            serialize.with_relations(qs, body=True),
            PUBLISHED,
            filters.cursor,
            _limit(filters.limit),
        )
        serialize.attach_sections(rows)
        return {
            "results": [ninjs.story(story, request) for story in rows],
            "next": _next_url(request, next_cursor),
            "next_cursor": next_cursor,
        }

    return json_response(request, "ninjs-list", compute, schemas.NinjsStoryList)


@api.get(
    "/stories/{story_id}/ninjs/",
    response={200: schemas.NinjsStory, **ERRORS},
    url_name="story_ninjs",
    by_alias=True,
)
def get_story_ninjs(request: HttpRequest, story_id: int):
    """One story as an IPTC ninjs 2.0 object."""
    return json_response(
        request,
        "ninjs",
        lambda: ninjs.story(_story(request, story_id), request),
        schemas.NinjsStory,
    )


@api.get("/sections/", response={200: schemas.SectionList, **ERRORS}, url_name="sections")
def list_sections(request: HttpRequest):
    """Every section the reader may see, in the site's order."""

    def compute():
        rows = list(visibility.sections(_scope(request)))
        return {
            "results": [serialize.section(s, request) for s in rows],
            "next": None,
            "next_cursor": None,
        }

    return json_response(request, "sections", compute, schemas.SectionList)


@api.get("/sections/{slug}/", response={200: schemas.Section, **ERRORS}, url_name="section")
def get_section(request: HttpRequest, slug: str):
    return _one(
        request, visibility.sections, serialize.section, schemas.Section, "section", slug=slug
    )


class ListParams(schemas.Schema):
    cursor: str | None = None
    limit: int = DEFAULT_LIMIT


def _slug_list(request, queryset, builder, params, schema, kind):
    def compute():
        rows, next_cursor = cursor.page(queryset, BY_SLUG, params.cursor, _limit(params.limit))
        return {
            "results": [builder(row, request) for row in rows],
            "next": _next_url(request, next_cursor),
            "next_cursor": next_cursor,
        }

    return json_response(request, kind, compute, schema)


@api.get("/topics/", response={200: schemas.TopicList, **ERRORS}, url_name="topics")
def list_topics(request: HttpRequest, params: Query[ListParams]):
    """Topics that at least one readable story carries, by slug."""
    return _slug_list(
        request,
        visibility.topics(_scope(request)),
        serialize.topic,
        params,
        schemas.TopicList,
        "topics",
    )


def _one(request, readable, serializer, schema, kind: str, **lookup):
    """Answer one section, topic, author or page found by ``lookup``, among those readable
    in the caller's scope (404 otherwise)."""

    def compute():
        found = readable(_scope(request)).filter(**lookup).first()
        if found is None:
            raise Http404
        return serializer(found, request)

    return json_response(request, kind, compute, schema)


@api.get("/topics/{slug}/", response={200: schemas.Topic, **ERRORS}, url_name="topic")
def get_topic(request: HttpRequest, slug: str):
    return _one(request, visibility.topics, serialize.topic, schemas.Topic, "topic", slug=slug)


@api.get("/authors/", response={200: schemas.AuthorList, **ERRORS}, url_name="authors")
def list_authors(request: HttpRequest, params: Query[ListParams]):
    """Authors with a byline on at least one readable story, by slug."""
    return _slug_list(
        request,
        visibility.authors(_scope(request)),
        serialize.author,
        params,
        schemas.AuthorList,
        "authors",
    )


@api.get("/authors/{slug}/", response={200: schemas.Author, **ERRORS}, url_name="author")
def get_author(request: HttpRequest, slug: str):
    return _one(request, visibility.authors, serialize.author, schemas.Author, "author", slug=slug)


@api.get("/corrections/", response={200: schemas.CorrectionList, **ERRORS}, url_name="corrections")
def list_corrections(request: HttpRequest, params: Query[ListParams]):
    """Corrections of readable stories, newest first."""

    def compute():
        qs = visibility.corrections(_scope(request)).select_related("page")
        rows, next_cursor = cursor.page(qs, NEWEST, params.cursor, _limit(params.limit))
        pages = {
            p.pk: p
            for p in visibility.stories(_scope(request))
            .filter(pk__in={r.page_id for r in rows})
            .defer_streamfields()
        }
        for row in rows:
            row.page = pages[row.page_id]
        return {
            "results": [serialize.correction(row, request) for row in rows],
            "next": _next_url(request, next_cursor),
            "next_cursor": next_cursor,
        }

    return json_response(request, "corrections", compute, schemas.CorrectionList)


@api.get("/pages/", response={200: schemas.PageList, **ERRORS}, url_name="pages")
def list_pages(request: HttpRequest, params: Query[ListParams]):
    """Published public pages that are not stories: the home page, sections, About..."""

    def compute():
        qs = visibility.pages(_scope(request))
        rows, next_cursor = cursor.page(qs, BY_PATH, params.cursor, _limit(params.limit))
        return {
            "results": [serialize.page_summary(row, request) for row in rows],
            "next": _next_url(request, next_cursor),
            "next_cursor": next_cursor,
        }

    return json_response(request, "pages", compute, schemas.PageList)


@api.get("/pages/{page_id}/", response={200: schemas.PageDetail, **ERRORS}, url_name="page")
def get_page(request: HttpRequest, page_id: int):
    """One page that is not a story, with its text (information pages: About, policies)."""
    return _one(
        request, visibility.pages, serialize.page_detail, schemas.PageDetail, "page", pk=page_id
    )
