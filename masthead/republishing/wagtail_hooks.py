"""Admin: where stories were republished (Reports > Republished), per story too."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.menus.pages import PageMenuItem

from masthead.articles.models import ArticlePage

from . import views


@hooks.register("register_admin_urls")
def register_republishing_urls():
    return [
        path("republishing/", views.report, name="republishing_report"),
        path("republishing/<int:page_id>/", views.story_report, name="republishing_story"),
    ]


@hooks.register("register_reports_menu_item")
def register_republishing_menu_item():
    return MenuItem(
        _("Republished"),
        reverse("republishing_report"),
        name="republished",
        icon_name="doc-full",
        order=660,
    )


class RepublishedButton(PageMenuItem):
    label = _("Republished")
    icon_name = "doc-full"

    @property
    def url(self):
        return reverse("republishing_story", args=[self.page.pk])


@hooks.register("register_page_listing_more_buttons")
def republished_button(page, user, next_url=None):
    if page.specific_class is ArticlePage:
        yield RepublishedButton(page=page, priority=56)
