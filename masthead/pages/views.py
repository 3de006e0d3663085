"""The corrections page and feed: what the newsroom got wrong, and when it said so."""

from django.contrib.syndication.views import Feed
from django.http import Http404, HttpRequest
from django.template.response import TemplateResponse
from django.utils.feedgenerator import Rss201rev2Feed
from django.utils.translation import gettext as _
from wagtail.models import Site

from masthead.core.site_address import absolute
from masthead.navigation.identity import for_request
from masthead.sections.listing import paginate

from .corrections import published_corrections

PAGE_SIZE = 50
FEED_ITEMS = 50


def _site(request: HttpRequest) -> Site:
    site = Site.find_for_request(request)
    if site is None:
        raise Http404(_("No site is configured for this address."))
    return site


def _story_path(correction) -> str:
    parts = correction.page.get_url_parts()
    return parts[2] if parts else "/"


def corrections_page(request: HttpRequest) -> TemplateResponse:
    corrections = paginate(
        published_corrections(_site(request)), request.GET.get("page"), PAGE_SIZE
    )
    for correction in corrections.object_list:
        correction.story_url = _story_path(correction)
    name = for_request(request)["name"]
    context = {
        "corrections": corrections,
        "canonical_path": "/corrections/",
        "head_title": _("Corrections"),
        "head_description": _("Every correction %(name)s has published, newest first.")
        % {"name": name},
    }
    return TemplateResponse(request, "pages/corrections_page.html", context)


class CorrectionsRss(Rss201rev2Feed):
    """RSS whose bytes change only when a correction does.

    Django writes ``lastBuildDate`` as *now* when no item has a date, so an empty list's
    feed changed on every request (ETags, caches, a restored site compared with its
    original). With no corrections the element is left out (it is optional in RSS 2.0).
    """

    def add_root_elements(self, handler):
        if self.items:
            return super().add_root_elements(handler)
        write = handler.addQuickElement

        def without_build_date(name, *args, **kwargs):
            if name != "lastBuildDate":
                write(name, *args, **kwargs)

        handler.addQuickElement = without_build_date
        try:
            super().add_root_elements(handler)
        finally:
            del handler.addQuickElement


class CorrectionsFeed(Feed):
    """RSS of the newest corrections, each linking to the corrected story."""

    feed_type = CorrectionsRss

    def get_object(self, request: HttpRequest, *args, **kwargs) -> dict:
        identity = for_request(request)
        return {
            "name": identity["name"],
            "corrections": list(published_corrections(_site(request))[:FEED_ITEMS]),
        }

    def title(self, obj: dict) -> str:
        return _("Corrections | %(name)s") % {"name": obj["name"]}

    def link(self, obj: dict) -> str:
        return absolute("/corrections/")

    def feed_url(self, obj: dict) -> str:
        return absolute("/corrections/feed/")

    def description(self, obj: dict) -> str:
        return _("Every correction %(name)s has published, newest first.") % {"name": obj["name"]}

    def items(self, obj: dict) -> list:
        return obj["corrections"]

    def item_title(self, item) -> str:
        return _("Correction: %(title)s") % {"title": item.page.title}

    def item_description(self, item) -> str:
        return item.text

    def item_link(self, item) -> str:
        return absolute(_story_path(item))

    def item_guid(self, item) -> str:
        return absolute(f"/corrections/#correction-{item.pk}")

    def item_guid_is_permalink(self, item) -> bool:
        return False

    def item_pubdate(self, item):
        return item.published_at


corrections_feed = CorrectionsFeed()
