"""Sitemaps: fronts and sections, stories (paged), topics and authors, and Google News.

Each sitemap is built per request for the request's site. Every list is paged by
Django's paginator (a LIMIT/OFFSET query per page), so an archive of any size never
has to fit in one response, and each sitemap reports its newest ``lastmod`` with one
aggregate query instead of loading every row.
"""

from datetime import datetime, timedelta
from urllib.parse import urlsplit

from django.contrib.sitemaps import Sitemap
from django.db.models import Max
from django.http import HttpRequest
from django.utils import timezone
from django.utils.encoding import iri_to_uri
from wagtail.models import Page, Site

from masthead.articles.models import ArticlePage, Correction
from masthead.core.site_address import base_url
from masthead.people.models import Author
from masthead.sections.models import Topic

from . import conf

# Google News reads stories published in the last two days, at most 1,000 of them.
NEWS_WINDOW = timedelta(days=2)
NEWS_LIMIT = 1_000


def public_stories(site: Site):
    """Return the live, public stories of ``site``: never a draft, scheduled or private one."""
    return ArticlePage.objects.live().public().descendant_of(site.root_page)


def _latest(*values):
    present = [v for v in values if v is not None]
    return max(present) if present else None


class SiteSitemap(Sitemap):
    """A sitemap bound to one site and request, sized by ``MASTHEAD_SITEMAP_PAGE_SIZE``."""

    def __init__(self, site: Site, request: HttpRequest):
        self.site = site
        self.request = request
        self.limit = conf.sitemap_page_size()
        # The configured address, not the request's Host (masthead.core.site_address).
        address = urlsplit(base_url())
        self.protocol, self.domain = address.scheme, address.netloc

    def get_domain(self, site=None) -> str:
        return self.domain

    def page_path(self, page: Page) -> str:
        _site_id, _root, path = page.get_url_parts(self.request) or (None, None, page.url_path)
        return iri_to_uri(path)


class PageSitemap(SiteSitemap):
    """The home page, sections and any other page that is not a story."""

    def items(self):
        return (
            self.site.root_page.get_descendants(inclusive=True)
            .live()
            .public()
            .not_type(ArticlePage)
            .order_by("path")
            .only("id", "path", "depth", "url_path", "last_published_at", "content_type")
        )

    def location(self, item: Page) -> str:
        return self.page_path(item)

    def lastmod(self, item: Page) -> datetime | None:
        # A front or section changes whenever a story is published under it.
        newest = (
            public_stories(self.site)
            .descendant_of(item)
            .aggregate(latest=Max("first_published_at"))["latest"]
        )
        return _latest(item.last_published_at, newest)

    def get_latest_lastmod(self) -> datetime | None:
        pages = self.items().aggregate(latest=Max("last_published_at"))["latest"]
        stories = public_stories(self.site).aggregate(latest=Max("first_published_at"))
        return _latest(pages, stories["latest"])


class StorySitemap(SiteSitemap):
    """Every published story, oldest first so that existing pages keep their content."""

    def items(self):
        return (
            public_stories(self.site)
            .defer_streamfields()
            .only(
                "id",
                "path",
                "depth",
                "url_path",
                "content_type",
                "first_published_at",
                "updated_at",
            )
            # The same moment as ArticlePage.modified_at, computed in SQL: loading each
            # story's corrections through its manager cost more than the rest of the row.
            .annotate(latest_correction=Max("corrections__published_at"))
            .order_by("first_published_at", "pk")
        )

    def location(self, item: ArticlePage) -> str:
        return self.page_path(item)

    def lastmod(self, item: ArticlePage) -> datetime | None:
        return _latest(item.first_published_at, item.updated_at, item.latest_correction)

    def get_latest_lastmod(self) -> datetime | None:
        stories = public_stories(self.site)
        dates = stories.aggregate(published=Max("first_published_at"), updated=Max("updated_at"))
        corrected = Correction.objects.filter(page__in=stories.values("pk")).aggregate(
            latest=Max("published_at")
        )
        return _latest(dates["published"], dates["updated"], corrected["latest"])


class _TaxonomySitemap(SiteSitemap):
    """Topics or authors that have at least one published story, with its date."""

    model = None

    def items(self):
        story_ids = public_stories(self.site).values("pk")
        return (
            self.model.objects.filter(article_links__page__in=story_ids)
            .annotate(latest=Max("article_links__page__first_published_at"))
            .order_by("slug")
            .only("id", "slug")
        )

    def location(self, item) -> str:
        return iri_to_uri(item.get_absolute_url())

    def lastmod(self, item) -> datetime | None:
        return item.latest

    def get_latest_lastmod(self) -> datetime | None:
        return public_stories(self.site).aggregate(latest=Max("first_published_at"))["latest"]


class TopicSitemap(_TaxonomySitemap):
    model = Topic


class AuthorSitemap(_TaxonomySitemap):
    model = Author


def sitemaps_for(site: Site, request: HttpRequest) -> dict[str, Sitemap]:
    """Return the non-empty sitemap sections of ``site`` by the name used in their URL.

    An empty ``urlset`` is invalid against the sitemaps.org schema, so a section with
    nothing to list is left out of the index and its address answers 404.
    """
    sitemaps = {
        "pages": PageSitemap(site, request),
        "stories": StorySitemap(site, request),
        "topics": TopicSitemap(site, request),
        "authors": AuthorSitemap(site, request),
    }
    return {name: sitemap for name, sitemap in sitemaps.items() if sitemap.items().exists()}


def news_stories(site: Site, now: datetime | None = None):
    """Return the stories Google News should see: published in the last two days."""
    since = (now or timezone.now()) - NEWS_WINDOW
    return (
        public_stories(site)
        .filter(first_published_at__gte=since)
        .defer_streamfields()
        .only("id", "path", "depth", "url_path", "content_type", "title", "first_published_at")
        .order_by("-first_published_at", "-pk")[:NEWS_LIMIT]
    )
