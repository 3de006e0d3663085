from django.conf import settings
from django.urls import include, path, re_path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from masthead.accounts import views as account_views
from masthead.api.api import api as read_api
from masthead.core import views as core_views
from masthead.navigation import views as navigation_views
from masthead.search import views as search_views
from masthead.sections import views as section_views


def _anymail_webhooks() -> list:
    from anymail import urls as anymail_urls
    from django.urls import URLPattern

    from masthead.core.bad_request import provider_webhook

    return [
        URLPattern(p.pattern, provider_webhook(p.callback), p.default_args, p.name)
        for p in anymail_urls.urlpatterns
    ]


urlpatterns = [
    # Wagtail's password forms, throttled (accounts.views); same addresses and names.
    path(
        "admin/password_reset/",
        account_views.ThrottledPasswordResetView.as_view(),
        name="wagtailadmin_password_reset",
    ),
    path(
        "_util/authenticate_with_password/<int:page_view_restriction_id>/<int:page_id>/",
        account_views.page_password,
        name="wagtailcore_authenticate_with_password",
    ),
    path(
        "documents/authenticate_with_password/<int:restriction_id>/",
        account_views.collection_password,
        name="wagtaildocs_authenticate_with_password",
    ),
    # Wagtail's deliberate error page (it raises, to try the 500 page): a scanner or a
    # curious editor would fill the log with server errors. Not found here.
    path("admin/failwhale/", core_views.page_not_found),
    path("admin/", include(wagtailadmin_urls)),
    # Wagtail's document view, its headers corrected (same address, so links are unchanged).
    path("documents/<int:document_id>/<str:document_filename>", core_views.serve_document),
    path("api/v1/", read_api.urls),
    path("documents/", include(wagtaildocs_urls)),
    path("favicon.svg", navigation_views.favicon_svg, name="favicon_svg"),
    path("topics/<slug:slug>/", section_views.topic_page, name="topic_page"),
    path("authors/<slug:slug>/", section_views.author_page, name="author_page"),
    path("discovery/", include("masthead.discovery.urls")),
    path("republish/", include("masthead.republishing.urls")),
    path("search/", search_views.search_page, name="search"),
    path("live/", include("masthead.live.urls")),
    path("running/", include("masthead.running.urls")),
    path("corrections/", include("masthead.pages.urls")),
    path("newsletters/", include("masthead.newsletters.urls")),
    # Signed provider webhooks (bounces, complaints), e.g. /anymail/postmark/tracking/.
    # A provider without its keys answers 404, a malformed payload 400 (not anymail's 500).
    path("anymail/", include((_anymail_webhooks(), "anymail"))),
    path("", include("masthead.syndication.urls")),
]

if settings.MASTHEAD_SERVE_MEDIA:
    media_prefix = settings.MEDIA_URL.lstrip("/")
    urlpatterns += [re_path(rf"^{media_prefix}(?P<path>.+)$", core_views.serve_media)]

urlpatterns += [path("", include(wagtail_urls))]

handler404 = "masthead.core.views.page_not_found"
handler500 = "masthead.core.views.server_error"
