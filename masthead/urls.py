from django.conf import settings
from django.urls import include, path, re_path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from masthead.core import views as core_views
from masthead.search import views as search_views
from masthead.sections import views as section_views

urlpatterns = [
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("topics/<slug:slug>/", section_views.topic_page, name="topic_page"),
    path("authors/<slug:slug>/", section_views.author_page, name="author_page"),
    path("discovery/", include("masthead.discovery.urls")),
    path("search/", search_views.search_page, name="search"),
    path("", include("masthead.syndication.urls")),
]

if settings.MASTHEAD_SERVE_MEDIA:
    media_prefix = settings.MEDIA_URL.lstrip("/")
    urlpatterns += [re_path(rf"^{media_prefix}(?P<path>.+)$", core_views.serve_media)]

urlpatterns += [path("", include(wagtail_urls))]

handler404 = "masthead.core.views.page_not_found"
handler500 = "masthead.core.views.server_error"
