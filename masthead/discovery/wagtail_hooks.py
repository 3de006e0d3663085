"""Admin: editor's choice lists, the most-read report and a views chart per story."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.menus.pages import PageMenuItem
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from masthead.articles.models import ArticlePage

from . import views
from .models import PickList


class PickListViewSet(SnippetViewSet):
    model = PickList
    icon = "pick"
    menu_label = _("Editor's choice")
    menu_order = 250
    add_to_admin_menu = True
    list_display = ["__str__"]


register_snippet(PickListViewSet)


@hooks.register("register_admin_urls")
def register_discovery_urls():
    return [
        path("discovery/most-read/", views.most_read_report, name="discovery_most_read"),
        path("discovery/views/<int:page_id>/", views.story_views, name="discovery_story_views"),
    ]


@hooks.register("register_reports_menu_item")
def register_most_read_menu_item():
    return MenuItem(
        _("Most read"),
        reverse("discovery_most_read"),
        name="most-read",
        icon_name="view",
        order=650,
    )


class StoryViewsButton(PageMenuItem):
    label = _("Views")
    icon_name = "view"

    @property
    def url(self):
        return reverse("discovery_story_views", args=[self.page.pk])


@hooks.register("register_page_listing_more_buttons")
def story_views_button(page, user, next_url=None):
    if page.specific_class is ArticlePage:
        yield StoryViewsButton(page=page, priority=55)
