"""Feed writers: RSS 2.0, Atom 1.0 and JSON Feed 1.1 with images, authors and paging.

Every string passes through :func:`masthead.syndication.text.clean` on its way in, so
no writer ever meets a character that its format cannot carry.
"""

import json

from django.utils import feedgenerator
from django.utils.feedgenerator import rfc3339_date

from .text import clean

MEDIA_NS = "http://search.yahoo.com/mrss/"
CONTENT_NS = "http://purl.org/rss/1.0/modules/content/"
JSON_FEED_VERSION = "https://jsonfeed.org/version/1.1"


class CleanFeedMixin:
    """Strip characters that XML forbids from the feed and every item, once, centrally."""

    def __init__(self, title, link, description, **kwargs):
        super().__init__(clean(title), clean(link), clean(description), **clean(kwargs))

    def add_item(self, title, link, description, **kwargs):
        super().add_item(clean(title), clean(link), clean(description), **clean(kwargs))


class RssFeed(CleanFeedMixin, feedgenerator.Rss201rev2Feed):
    def rss_attributes(self) -> dict:
        return {**super().rss_attributes(), "xmlns:media": MEDIA_NS, "xmlns:content": CONTENT_NS}

    def add_root_elements(self, handler) -> None:
        super().add_root_elements(handler)
        if self.feed.get("next_url"):
            handler.addQuickElement(
                "atom:link", None, {"rel": "next", "href": self.feed["next_url"]}
            )

    def add_item_elements(self, handler, item: dict) -> None:
        super().add_item_elements(handler, item)
        if item.get("content_html"):
            handler.addQuickElement("content:encoded", item["content_html"])
        _media_content(handler, item)


class AtomFeed(CleanFeedMixin, feedgenerator.Atom1Feed):
    def root_attributes(self) -> dict:
        return {**super().root_attributes(), "xmlns:media": MEDIA_NS}

    def add_root_elements(self, handler) -> None:
        super().add_root_elements(handler)
        if self.feed.get("next_url"):
            handler.addQuickElement("link", "", {"rel": "next", "href": self.feed["next_url"]})

    def add_item_elements(self, handler, item: dict) -> None:
        super().add_item_elements(handler, item)
        # Django writes one <author>; a story with several bylines gets one each.
        for name, url in item.get("authors", [])[1:]:
            handler.startElement("author", {})
            handler.addQuickElement("name", name)
            if url:
                handler.addQuickElement("uri", url)
            handler.endElement("author")
        if item.get("content_html"):
            handler.addQuickElement("content", item["content_html"], {"type": "html"})
        _media_content(handler, item)


def _media_content(handler, item: dict) -> None:
    image = item.get("image")
    if not image:
        return
    attrs = {"url": image["url"], "medium": "image", "type": image["mime_type"]}
    if image.get("width"):
        attrs.update(width=str(image["width"]), height=str(image["height"]))
    handler.startElement("media:content", attrs)
    if image.get("description"):
        handler.addQuickElement("media:description", image["description"])
    if image.get("credit"):
        handler.addQuickElement("media:credit", image["credit"])
    handler.endElement("media:content")


class JsonFeed(CleanFeedMixin, feedgenerator.SyndicationFeed):
    """JSON Feed 1.1 (https://www.jsonfeed.org/version/1.1/)."""

    content_type = "application/feed+json; charset=utf-8"

    def as_dict(self) -> dict:
        """Return the feed as the JSON Feed 1.1 object."""
        feed = self.feed
        data = {
            "version": JSON_FEED_VERSION,
            "title": feed["title"],
            "home_page_url": feed["link"],
            "feed_url": feed["feed_url"],
            "description": feed["description"],
        }
        if feed.get("language"):
            data["language"] = feed["language"]
        if feed.get("icon"):
            data["icon"] = feed["icon"]
        if feed.get("next_url"):
            data["next_url"] = feed["next_url"]
        if feed.get("author_name"):
            data["authors"] = [{"name": feed["author_name"], "url": feed["link"]}]
        data["items"] = [self._item(item) for item in self.items]
        return data

    def _item(self, item: dict) -> dict:
        data = {
            "id": item["unique_id"] or item["link"],
            "url": item["link"],
            "title": item["title"],
        }
        if item.get("content_html"):
            data["content_html"] = item["content_html"]
        else:
            data["content_text"] = item.get("summary") or item["title"]
        if item.get("summary"):
            data["summary"] = item["summary"]
        if item.get("image"):
            data["image"] = item["image"]["url"]
        if item["pubdate"]:
            data["date_published"] = rfc3339_date(item["pubdate"])
        if item["updateddate"]:
            data["date_modified"] = rfc3339_date(item["updateddate"])
        authors = [
            {"name": name, **({"url": url} if url else {})} for name, url in item.get("authors", [])
        ]
        if authors:
            data["authors"] = authors
        if item["categories"]:
            data["tags"] = list(item["categories"])
        if item.get("external_url"):
            data["external_url"] = item["external_url"]
        return data

    def write(self, outfile, encoding) -> None:
        outfile.write(json.dumps(self.as_dict(), ensure_ascii=False, indent=1))


FORMATS = {"rss": RssFeed, "atom": AtomFeed, "json": JsonFeed}
