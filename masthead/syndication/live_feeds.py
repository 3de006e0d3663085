"""Atom and JSON Feed of one live page's entries, newest first.

A feed reader follows a live page entry by entry: each item links to the entry's
permalink on the page (``#entry-12``) and carries its full text. Only visible entries
(published, due, on a live public page) are listed: see ``LiveEntryQuerySet.visible``.
"""

from datetime import datetime

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.http import Http404, HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.utils.encoding import iri_to_uri
from django.utils.html import escape
from django.utils.translation import gettext as _

from masthead.core.site_address import absolute, page_url
from masthead.live.models import LiveEntry, LivePage

from . import conf
from .feeds import absolute_urls
from .generators import AtomFeed, JsonFeed

ENTRIES = 50
LIVE_FORMATS = {"atom": AtomFeed, "json": JsonFeed}


class LiveEntryFeed(Feed):
    def __init__(self, fmt: str):
        self.feed_type = LIVE_FORMATS[fmt]

    # No Cache-Control of its own: the page cache gives it the lifetimes of pages
    # (s-maxage MASTHEAD_PAGE_CACHE_SECONDS, browsers revalidate) and its tags: the
    # page's, which an entry published, corrected or withdrawn invalidates at once, in
    # Masthead's cache and by a BAN in a proxy's.

    def get_object(self, request: HttpRequest, page_id: int) -> LivePage:
        from masthead.caching import tags

        page = LivePage.objects.live().public().filter(pk=page_id).first()
        if page is None:
            raise Http404(_("There is no such live page."))
        tags.add(request, tags.page(page.pk))
        page.feed_request = request
        page.feed_link = iri_to_uri(page_url(page, request))
        page.feed_entries = list(page.visible_entries().newest_first()[:ENTRIES])
        # Each item names its entry's author: a rename must reach the cached feed.
        tags.add(request, *{tags.author(e.author_id) for e in page.feed_entries if e.author_id})
        return page

    def items(self, obj: LivePage) -> list[LiveEntry]:
        for entry in obj.feed_entries:
            entry.feed_page = obj
        return obj.feed_entries

    def title(self, obj: LivePage) -> str:
        return f"{obj.title} | {settings.WAGTAIL_SITE_NAME}"

    def link(self, obj: LivePage) -> str:
        return obj.feed_link

    def description(self, obj: LivePage) -> str:
        return obj.standfirst

    def author_name(self, obj: LivePage) -> str:
        return settings.WAGTAIL_SITE_NAME

    def feed_url(self, obj: LivePage) -> str:
        return absolute(obj.feed_request.path)

    def feed_extra_kwargs(self, obj: LivePage) -> dict:
        return {"icon": absolute(static(conf.publisher_logo()))}

    def item_title(self, item: LiveEntry) -> str:
        return item.headline or item.summary or _("Update")

    def item_link(self, item: LiveEntry) -> str:
        return f"{item.feed_page.feed_link}#{item.anchor}"

    def item_guid(self, item: LiveEntry) -> str:
        return self.item_link(item)

    def item_guid_is_permalink(self, item: LiveEntry) -> bool:
        return True

    def item_description(self, item: LiveEntry) -> str:
        return escape(item.summary)

    def item_pubdate(self, item: LiveEntry) -> datetime:
        return item.published_at

    def item_updateddate(self, item: LiveEntry) -> datetime:
        return max(filter(None, [item.published_at, item.corrected_at]))

    def item_author_name(self, item: LiveEntry) -> str | None:
        return item.author.name if item.author else None

    def item_author_link(self, item: LiveEntry) -> str | None:
        if item.author is None:
            return None
        return absolute(item.author.get_absolute_url())

    def item_extra_kwargs(self, item: LiveEntry) -> dict:
        request = item.feed_page.feed_request
        html = render_to_string("live/entry_feed.html", {"entry": item}, request=request)
        author = self.item_author_name(item)
        return {
            "authors": [(author, self.item_author_link(item))] if author else [],
            "summary": item.summary,
            "content_html": absolute_urls(html, absolute("/")),
        }


LIVE_FEEDS = {fmt: LiveEntryFeed(fmt) for fmt in LIVE_FORMATS}


def live_feed_view(request: HttpRequest, page_id: int, fmt: str) -> HttpResponse:
    """Serve one live page's entries; the URL pattern restricts ``fmt`` to atom and json."""
    return LIVE_FEEDS[fmt](request, page_id=page_id)
