"""Sitemap, news sitemap and robots.txt views for the request's site."""

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sitemaps import views as sitemap_views
from django.contrib.sitemaps.views import SitemapIndexItem
from django.http import Http404, HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from wagtail.models import Site

from masthead.core.site_address import absolute, base_url
from masthead.navigation.identity import for_request

from .sitemaps import SiteSitemap, news_stories, sitemaps_for
from .text import clean_text


def _site(request: HttpRequest) -> Site:
    site = Site.find_for_request(request)
    if site is None:
        raise Http404(_("No site is configured for this address."))
    return site


def _path_and_query(url: str) -> str:
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def sitemap_index(request: HttpRequest) -> TemplateResponse:
    response = sitemap_views.index(
        request, sitemaps_for(_site(request), request), sitemap_url_name="sitemap_section"
    )
    # Django names each sitemap with the request's host; list them at the site's address.
    response.context_data["sitemaps"] = [
        SitemapIndexItem(absolute(_path_and_query(item.location)), item.last_mod)
        for item in response.context_data["sitemaps"]
    ]
    return response


def sitemap_section(request: HttpRequest, section: str) -> TemplateResponse:
    return sitemap_views.sitemap(request, sitemaps_for(_site(request), request), section=section)


def news_sitemap(request: HttpRequest) -> TemplateResponse:
    site = _site(request)
    paths = SiteSitemap(site, request)
    base = base_url()
    entries = [
        {
            "location": base + paths.page_path(story),
            "title": clean_text(story.title),
            "published_at": story.first_published_at,
        }
        for story in news_stories(site)
    ]
    if not entries:
        # A news sitemap must list at least one story to be valid; with nothing from the
        # last two days there is no news sitemap, and robots.txt does not name one.
        raise Http404("No story was published in the last two days.")
    return TemplateResponse(
        request,
        "syndication/news_sitemap.xml",
        {
            "entries": entries,
            "publication_name": clean_text(for_request(request)["name"]),
            "language": news_language(settings.LANGUAGE_CODE),
        },
        content_type="application/xml; charset=utf-8",
    )


def news_language(code: str) -> str:
    """Return the language as Google News wants it: ISO 639, lower case ('en', 'zh-cn')."""
    code = code.lower().replace("_", "-")
    return code if code in ("zh-cn", "zh-tw") else code.split("-")[0]


def robots_txt(request: HttpRequest) -> HttpResponse:
    base = base_url()
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "",
        f"Sitemap: {base}{reverse('sitemap_index')}",
    ]
    if news_stories(_site(request)).exists():
        lines.append(f"Sitemap: {base}{reverse('news_sitemap')}")
    lines.append("")
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")
