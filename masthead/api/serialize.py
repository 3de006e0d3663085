"""Stories, sections, topics, authors, corrections and pages as the API's plain dicts."""

import logging

from django.conf import settings
from django.db.models import Prefetch
from django.http import HttpRequest
from django.urls import reverse

from masthead.articles.models import ArticleAuthor, ArticleTopic, Correction
from masthead.core import html as core_html
from masthead.core import licences
from masthead.people.models import Author
from masthead.sections.listing import attach_sections
from masthead.sections.models import Topic

from .links import absolute, page_url

logger = logging.getLogger(__name__)

IMAGE_SPEC = "width-1200"


def with_relations(queryset, *, body: bool = False):
    """Return ``queryset`` with what a story answer shows fetched in a fixed number of queries."""
    if not body:
        queryset = queryset.defer_streamfields()
    return queryset.select_related("lead_image").prefetch_related(
        "lead_image__renditions",
        "corrections",
        Prefetch(
            "article_authors",
            queryset=ArticleAuthor.objects.select_related("author").order_by("sort_order"),
        ),
        Prefetch(
            "article_topics",
            queryset=ArticleTopic.objects.select_related("topic").order_by("sort_order"),
        ),
    )


# What a story answer (own shape, ninjs, webhooks) reads of the story row; anything
# else would be fetched one query at a time, which the query-count tests catch.
STORY_FIELDS = (
    "path",
    "depth",
    "url_path",
    "locale_id",
    "live",
    "title",
    "slug",
    "kicker",
    "standfirst",
    "first_published_at",
    "last_published_at",
    "updated_at",
    "lead_image",
    "lead_image_caption",
    "lead_image_credit",
    "source_name",
    "source_url",
    "licence",
    "body",
)


def one_story(queryset, story_id: int):
    """Return the story ``story_id`` of ``queryset`` with what its answer shows, or None.

    At 100,000 stories the answer's cost is mostly Django building SQL, not SQLite
    running it (bench/api/profile_detail.py), and that cost grows with the columns
    selected and ordered on. So the story comes with only the columns an answer
    reads and no ORDER BY (one row by primary key), and its bylines, topics and
    corrections by its id, each a one-join query of three columns.
    ``with_relations`` (made for pages of stories) prefetches them through
    modelcluster, which cost about 1 ms more CPU per answer.
    """
    rows = list(
        queryset.filter(pk=story_id).select_related("lead_image").only(*STORY_FIELDS).order_by()[:1]
    )
    if not rows:
        return None
    story = rows[0]
    story.__dict__["authors"] = list(
        Author.objects.filter(article_links__page_id=story.pk)
        .only("slug", "name", "job_title")
        .order_by("article_links__sort_order")
    )
    story.__dict__["topics"] = list(
        Topic.objects.filter(article_links__page_id=story.pk)
        .only("slug", "name", "kind")
        .order_by("article_links__sort_order")
    )
    story.__dict__["correction_list"] = list(
        Correction.objects.filter(page_id=story.pk).only("published_at", "text")
    )
    return story


def story_licence(story) -> licences.Licence:
    return story.licence_terms


def licence_dict(licence: licences.Licence) -> dict:
    return {
        "code": licence.code,
        "name": str(licence.name),
        "url": licence.url,
        "republishable": licence.republishable,
    }


def image_dict(story, request: HttpRequest | None) -> dict | None:
    image = story.lead_image
    if image is None:
        return None
    try:
        rendition = image.get_rendition(IMAGE_SPEC)
    except Exception:
        # A missing picture file must not take the answer down.
        logger.warning("No rendition for image %s", image.pk, exc_info=True)
        return None
    return {
        "url": absolute(rendition.url, request),
        "width": rendition.width,
        "height": rendition.height,
        "alt": image.default_alt_text,
        "caption": story.caption,
        "credit": story.credit,
    }


def section_ref(section, request) -> dict | None:
    if section is None:
        return None
    return {
        "id": section.pk,
        "slug": section.slug,
        "title": section.title,
        "url": page_url(section, request),
    }


def api_url(name: str, request, **kwargs) -> str:
    return absolute(reverse(f"api-v1:{name}", kwargs=kwargs), request)


def story_summary(story, request) -> dict:
    modified = story.modified_at
    return {
        "id": story.pk,
        "url": page_url(story, request),
        "headline": story.title,
        "kicker": story.kicker,
        "standfirst": story.standfirst,
        "section": section_ref(story.section, request),
        "topics": [{"slug": t.slug, "name": t.name, "kind": t.kind} for t in story.topics],
        "authors": [
            {"slug": a.slug, "name": a.name, "job_title": a.job_title} for a in story.authors
        ],
        "byline": str(story.byline),
        "published_at": story.first_published_at,
        "updated_at": modified if modified != story.first_published_at else None,
        "last_published_at": story.last_published_at,
        "image": image_dict(story, request),
        "source": (
            {"name": story.source_name, "url": story.source_url} if story.source_name else None
        ),
        "licence": licence_dict(story_licence(story)),
        "links": {
            "self": api_url("story", request, story_id=story.pk),
            "ninjs": api_url("story_ninjs", request, story_id=story.pk),
        },
    }


def stories(rows, request) -> list[dict]:
    attach_sections(rows)
    return [story_summary(story, request) for story in rows]


def absolute_html(html: str, request) -> str:
    return core_html.absolute_html(html, absolute("/", request))


def body_html(story, request) -> str:
    return absolute_html(str(story.body), request)


def story_detail(story, request) -> dict:
    attach_sections([story])
    data = story_summary(story, request)
    data["body_html"] = body_html(story, request)
    data["corrections"] = [
        {"published_at": c.published_at, "text": c.text} for c in story.correction_list
    ]
    return data


def section(section, request) -> dict:
    return {
        **section_ref(section, request),
        "description": section.description,
        "stories": api_url("stories", request) + f"?section={section.slug}",
    }


def topic(topic, request) -> dict:
    return {
        "slug": topic.slug,
        "name": topic.name,
        "kind": topic.kind,
        "description": topic.description,
        "url": absolute(topic.get_absolute_url(), request),
        "stories": api_url("stories", request) + f"?topic={topic.slug}",
    }


def author(author, request) -> dict:
    return {
        "slug": author.slug,
        "name": author.name,
        "job_title": author.job_title,
        "bio": author.bio,
        "url": absolute(author.get_absolute_url(), request),
        "stories": api_url("stories", request) + f"?author={author.slug}",
    }


def correction(correction, request) -> dict:
    story = correction.page
    return {
        "id": correction.pk,
        "story_id": story.pk,
        "story_url": page_url(story, request),
        "headline": story.title,
        "published_at": correction.published_at,
        "text": correction.text,
    }


def page_summary(page, request) -> dict:
    return {
        "id": page.pk,
        "title": page.title,
        "type": page.specific_class._meta.label if page.specific_class else "wagtailcore.Page",
        "url": page_url(page, request),
        "last_published_at": page.last_published_at,
        "description": page.search_description,
        "links": {"self": api_url("page", request, page_id=page.pk)},
    }


def page_detail(page, request) -> dict:
    """One page with its text: an information page's standfirst and body (absolute links)."""
    specific = page.specific
    body = getattr(specific, "body", None)
    return page_summary(page, request) | {
        "kind": getattr(specific, "kind", "") or "",
        "standfirst": getattr(specific, "standfirst", "") or "",
        "body_html": absolute_html(str(body), request) if body else "",
    }


def language() -> str:
    return settings.LANGUAGE_CODE
