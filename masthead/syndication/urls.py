"""Feeds, sitemaps and robots.txt. Include before Wagtail's catch-all page route."""

from django.urls import path, register_converter

from . import views
from .feeds import feed_view
from .live_feeds import live_feed_view


class _Choice:
    choices: tuple[str, ...] = ()

    @property
    def regex(self) -> str:
        return "|".join(self.choices)

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


class FormatConverter(_Choice):
    choices = ("rss", "atom", "json")


class ScopeConverter(_Choice):
    choices = ("section", "topic", "author")


class LiveFormatConverter(_Choice):
    choices = ("atom", "json")


register_converter(FormatConverter, "feedformat")
register_converter(LiveFormatConverter, "livefeedformat")
register_converter(ScopeConverter, "feedscope")

urlpatterns = [
    path("feeds/<feedformat:fmt>/", feed_view, name="site_feed"),
    path("feeds/<feedscope:scope>/<str:slug>/<feedformat:fmt>/", feed_view, name="scoped_feed"),
    path("feeds/live/<int:page_id>/<livefeedformat:fmt>/", live_feed_view, name="live_feed"),
    path("sitemap.xml", views.sitemap_index, name="sitemap_index"),
    path("sitemap-<slug:section>.xml", views.sitemap_section, name="sitemap_section"),
    path("news-sitemap.xml", views.news_sitemap, name="news_sitemap"),
    path("robots.txt", views.robots_txt, name="robots_txt"),
]
