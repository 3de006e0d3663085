"""Topic and author pages: every published story about a topic or by a person."""

from django.core.paginator import Paginator
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse

from masthead.articles.models import ArticlePage
from masthead.people.models import Author

from .listing import attach_sections
from .models import LISTING_PAGE_SIZE, Topic


def _paged(request: HttpRequest, stories):
    page = Paginator(stories, LISTING_PAGE_SIZE).get_page(request.GET.get("page"))
    page.object_list = attach_sections(page.object_list)
    return page


def topic_page(request: HttpRequest, slug: str) -> TemplateResponse:
    topic = get_object_or_404(Topic, slug=slug)
    stories = ArticlePage.objects.cards().filter(article_topics__topic=topic)
    return TemplateResponse(
        request, "pages/topic_page.html", {"topic": topic, "stories": _paged(request, stories)}
    )


def author_page(request: HttpRequest, slug: str) -> TemplateResponse:
    author = get_object_or_404(Author.objects.select_related("photo"), slug=slug)
    stories = ArticlePage.objects.cards().filter(article_authors__author=author)
    return TemplateResponse(
        request, "pages/author_page.html", {"author": author, "stories": _paged(request, stories)}
    )
