"""Topic and author pages: every published story about a topic or by a person."""

from django.db.models import Exists, OuterRef
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse

from masthead.articles.models import ArticleAuthor, ArticlePage, ArticleTopic
from masthead.people.models import Author

from .listing import attach_sections, paginate
from .models import LISTING_PAGE_SIZE, Topic


def _paged(request: HttpRequest, stories):
    page = paginate(stories, request.GET.get("page"), LISTING_PAGE_SIZE)
    page.object_list = attach_sections(page.object_list)
    return page


def topic_page(request: HttpRequest, slug: str) -> TemplateResponse:
    topic = get_object_or_404(Topic, slug=slug)
    # EXISTS rather than a join: the database walks stories newest first (the index on
    # first publication) and stops after one page, instead of sorting every story
    # about the topic: flat as the archive grows (docs/performance.md).
    stories = ArticlePage.objects.cards().filter(
        Exists(ArticleTopic.objects.filter(page=OuterRef("pk"), topic=topic))
    )
    return TemplateResponse(
        request, "pages/topic_page.html", {"topic": topic, "stories": _paged(request, stories)}
    )


def author_page(request: HttpRequest, slug: str) -> TemplateResponse:
    author = get_object_or_404(Author.objects.select_related("photo"), slug=slug)
    stories = ArticlePage.objects.cards().filter(
        Exists(ArticleAuthor.objects.filter(page=OuterRef("pk"), author=author))
    )
    return TemplateResponse(
        request, "pages/author_page.html", {"author": author, "stories": _paged(request, stories)}
    )
