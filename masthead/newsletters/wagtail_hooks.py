from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin import widgets as wagtailadmin_widgets
from wagtail.admin.menu import MenuItem
from wagtail.admin.panels import FieldPanel
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from . import admin_views
from .models import Issue, Newsletter, Subscriber


class NewsletterViewSet(SnippetViewSet):
    model = Newsletter
    icon = "mail"
    menu_label = _("Lists")
    list_display = ["name", "slug", "site", "is_public", "digest_enabled"]
    search_fields = ["name"]


class IssueViewSet(SnippetViewSet):
    model = Issue
    icon = "doc-full-inverse"
    menu_label = _("Issues")
    list_display = ["subject", "newsletter", "state"]
    list_filter = ["newsletter"]
    search_fields = ["subject"]


class SubscriberViewSet(SnippetViewSet):
    model = Subscriber
    icon = "user"
    menu_label = _("Subscribers")
    list_display = ["email", "created_at"]
    # Import and export (CSV, with consent dates): /admin/newsletters/subscribers/import/
    list_filter = ["subscriptions__newsletter", "subscriptions__status"]
    # Searched in the database (addresses are not words for the search index).
    search_fields = ["email"]
    search_backend_name = None
    panels = [FieldPanel("email", read_only=True)]


class NewslettersGroup(SnippetViewSetGroup):
    menu_label = _("Newsletters")
    menu_icon = "mail"
    menu_order = 250
    items = (IssueViewSet, NewsletterViewSet, SubscriberViewSet)


register_snippet(NewslettersGroup)


@hooks.register("register_admin_urls")
def register_newsletter_urls():
    return [
        path(
            "newsletters/issue/<int:pk>/sending/",
            admin_views.issue_sending,
            name="newsletters_issue_sending",
        ),
        path(
            "newsletters/subscribers/export/",
            admin_views.subscribers_export,
            name="newsletters_subscribers_export",
        ),
        path(
            "newsletters/subscribers/import/",
            admin_views.subscribers_import,
            name="newsletters_subscribers_import",
        ),
    ]


@hooks.register("register_snippet_listing_buttons")
def issue_sending_button(snippet, user, next_url=None):
    if isinstance(snippet, Issue):
        yield wagtailadmin_widgets.ListingButton(
            _("Figures and test send"),
            reverse("newsletters_issue_sending", args=[snippet.pk]),
            icon_name="mail",
            priority=15,
        )


@hooks.register("register_reports_menu_item")
def register_subscriber_transfer_menu_item():
    return MenuItem(
        _("Newsletter subscribers (CSV)"),
        reverse("newsletters_subscribers_import"),
        name="newsletter-subscribers-csv",
        icon_name="user",
        order=660,
    )
