"""Every published correction, newest first: the /corrections/ page and its feed."""

from django.db.models import QuerySet
from wagtail.models import Site

from masthead.articles.models import ArticlePage, Correction


def published_corrections(site: Site) -> QuerySet:
    """Return the corrections of live, public stories of ``site``, newest first.

    A correction saved on a draft, scheduled or private story is never listed: only the
    stories readers can open count.
    """
    stories = ArticlePage.objects.live().public().descendant_of(site.root_page)
    return (
        Correction.objects.filter(page__in=stories.values("pk"))
        .select_related("page")
        .only("pk", "text", "published_at", "page__title", "page__url_path", "page__path")
        .order_by("-published_at", "-pk")
    )
