"""Story feeds for the whole site, a section, a topic and an author, in three formats.

One :class:`StoryFeed` instance serves one scope in one format. ``get_object`` does all
the database work (one page of stories, their bylines, topics, sections, corrections and
images) so the item hooks below only read what is already in memory.
"""

import re
from dataclasses import dataclass
from datetime import datetime

from django.contrib.syndication.views import Feed
from django.http import Http404, HttpRequest
from django.templatetags.static import static
from django.utils.encoding import iri_to_uri
from django.utils.feedgenerator import Enclosure
from django.utils.html import escape
from django.utils.translation import gettext as _
from wagtail.models import Site

from masthead.articles.models import ArticlePage, ArticleTopic
from masthead.core.site_address import absolute, page_url
from masthead.navigation.identity import for_request
from masthead.people.models import Author
from masthead.sections.listing import attach_sections
from masthead.sections.models import SectionPage, Topic

from . import conf
from .generators import FORMATS
from .images import share_image

SCOPES = ("site", "section", "topic", "author")


@dataclass
class FeedPage:
    """One page of one feed: what it is about and the stories on it."""

    title: str
    link: str
    description: str
    stories: list
    icon: str
    next_url: str | None = None
    feed_url: str = ""
    publisher: str = ""


def stories_for(site: Site):
    """Return the published public stories of ``site`` with what a feed item shows."""
    from django.db.models import Prefetch

    return (
        ArticlePage.objects.teasers()
        .descendant_of(site.root_page)
        .prefetch_related(
            "corrections",
            Prefetch(
                "article_topics",
                queryset=ArticleTopic.objects.select_related("topic").order_by("sort_order"),
            ),
        )
    )


def parse_page(request: HttpRequest) -> int:
    """Return the 1-based page number asked for; a malformed one is a 404, not a 500."""
    raw = request.GET.get("page", "1")
    if not raw.isdigit() or not 1 <= int(raw) <= 1_000_000:
        raise Http404(_("There is no such page of this feed."))
    return int(raw)


class StoryFeed(Feed):
    def __init__(self, scope: str, fmt: str):
        if scope not in SCOPES or fmt not in FORMATS:
            raise ValueError(f"Unknown feed {scope}/{fmt}")
        self.scope = scope
        self.fmt = fmt
        self.feed_type = FORMATS[fmt]

    # No Cache-Control of its own: the page cache gives feeds the lifetimes and tags of
    # pages (s-maxage MASTHEAD_PAGE_CACHE_SECONDS, the "feeds" tag and each story's).

    # Building the page ------------------------------------------------------------

    def get_object(self, request: HttpRequest, slug: str | None = None) -> FeedPage:
        site = Site.find_for_request(request)
        if site is None:
            raise Http404(_("No site is configured for this address."))
        stories = stories_for(site)
        identity = for_request(request)
        name = identity["name"]
        if self.scope == "site":
            home = site.root_page.specific
            title = name
            description = (
                getattr(home, "intro", "") or identity["description"] or _("The latest stories.")
            )
            link = page_url(home, request)
        elif self.scope == "section":
            section = (
                SectionPage.objects.live().public().descendant_of(site.root_page).filter(slug=slug)
            ).first()
            if section is None:
                raise Http404(_("There is no such section."))
            stories = stories.descendant_of(section)
            title = f"{section.title} | {name}"
            description = section.description or _("The latest stories in %(section)s.") % {
                "section": section.title
            }
            link = page_url(section, request)
        elif self.scope == "topic":
            topic = Topic.objects.get(slug=slug)
            stories = stories.filter(article_topics__topic=topic)
            title = f"{topic.name} | {name}"
            description = _("The latest stories about %(topic)s.") % {"topic": topic.name}
            link = absolute(topic.get_absolute_url())
        else:
            author = Author.objects.get(slug=slug)
            stories = stories.filter(article_authors__author=author)
            title = f"{author.name} | {name}"
            description = _("The latest stories by %(author)s.") % {"author": author.name}
            link = absolute(author.get_absolute_url())

        full_text = conf.feed_full_text()
        if full_text:
            stories = stories.defer(None)  # the body is the point of a full-text feed
        page = parse_page(request)
        size = conf.feed_page_size()
        offset = (page - 1) * size
        # One row more than a page says whether there is a next page without a COUNT.
        rows = list(stories[offset : offset + size + 1])
        if page > 1 and not rows:
            raise Http404(_("There is no such page of this feed."))
        next_url = None
        if len(rows) > size:
            rows = rows[:size]
            next_url = absolute(f"{request.path}?page={page + 1}")
        attach_sections(rows)
        for story in rows:
            story.feed_item = _item_data(story, request, full_text)
        icon = absolute(
            identity["logo"]["url"] if identity["logo"] else static(conf.publisher_logo())
        )
        self_url = absolute(request.path + (f"?page={page}" if page > 1 else ""))
        return FeedPage(title, link, description, rows, icon, next_url, self_url, name)

    # Feed-level hooks -------------------------------------------------------------

    def items(self, obj: FeedPage) -> list:
        return obj.stories

    def title(self, obj: FeedPage) -> str:
        return obj.title

    def link(self, obj: FeedPage) -> str:
        return obj.link

    def description(self, obj: FeedPage) -> str:
        return obj.description

    def feed_url(self, obj: FeedPage) -> str:
        return obj.feed_url

    def author_name(self, obj: FeedPage) -> str:
        return obj.publisher

    def author_link(self, obj: FeedPage) -> str:
        return obj.link

    def feed_copyright(self, obj: FeedPage) -> str:
        return f"© {obj.publisher}"

    def feed_extra_kwargs(self, obj: FeedPage) -> dict:
        return {"next_url": obj.next_url, "icon": obj.icon}

    # Item hooks -------------------------------------------------------------------

    def item_title(self, item: ArticlePage) -> str:
        return item.title

    def item_link(self, item: ArticlePage) -> str:
        return item.feed_item["link"]

    def item_guid(self, item: ArticlePage) -> str:
        return item.feed_item["link"]

    def item_guid_is_permalink(self, item: ArticlePage) -> bool:
        return True

    def item_description(self, item: ArticlePage) -> str:
        # RSS and Atom descriptions are HTML; the standfirst is plain text.
        return escape(item.standfirst)

    def item_pubdate(self, item: ArticlePage) -> datetime | None:
        return item.first_published_at

    def item_updateddate(self, item: ArticlePage) -> datetime | None:
        return item.modified_at

    def item_author_name(self, item: ArticlePage) -> str | None:
        authors = item.feed_item["authors"]
        return authors[0][0] if authors else None

    def item_author_link(self, item: ArticlePage) -> str | None:
        authors = item.feed_item["authors"]
        return authors[0][1] if authors else None

    def item_categories(self, item: ArticlePage) -> list[str]:
        section = [item.section.title] if item.section else []
        return section + [topic.name for topic in item.topics]

    def item_enclosures(self, item: ArticlePage) -> list[Enclosure]:
        image = item.feed_item["image"]
        if image is None:
            return []
        return [Enclosure(image.url, str(image.length), image.mime_type)]

    def item_extra_kwargs(self, item: ArticlePage) -> dict:
        data = item.feed_item
        return {
            "authors": data["authors"],
            "summary": item.standfirst,
            "content_html": data["content_html"],
            "image": data["image"].as_feed_dict() if data["image"] else None,
        }


_URL_ATTR = re.compile(r'(\s(?:src|href|poster)=")/(?!/)')
_SRCSET = re.compile(r'(\ssrcset=")([^"]*)(")')


def absolute_urls(html: str, base: str) -> str:
    """Return ``html`` with root-relative links and image sources made absolute.

    Feed readers show an item away from the site, where "/media/..." points nowhere.
    """
    base = base.rstrip("/") + "/"
    html = _URL_ATTR.sub(lambda m: m.group(1) + base, html)
    return _SRCSET.sub(
        lambda m: m.group(1) + re.sub(r"(^|,\s*)/(?!/)", r"\1" + base, m.group(2)) + m.group(3),
        html,
    )


def _item_data(story: ArticlePage, request: HttpRequest, full_text: bool) -> dict:
    """Return what every format needs of ``story``, computed once."""
    content_html = None
    if full_text:
        content_html = absolute_urls(str(story.body), absolute("/"))
        if story.source_name:
            content_html += f"<p>{escape(_('Source:'))} {escape(story.source_label)}</p>"
    return {
        "link": iri_to_uri(page_url(story, request)),
        "authors": [(author.name, absolute(author.get_absolute_url())) for author in story.authors],
        "image": share_image(story, request),
        "content_html": content_html,
    }


FEEDS = {(scope, fmt): StoryFeed(scope, fmt) for scope in SCOPES for fmt in FORMATS}


def feed_view(request: HttpRequest, fmt: str, scope: str = "site", slug: str | None = None):
    """Serve one feed; the URL patterns restrict ``scope`` and ``fmt`` to known values."""
    return FEEDS[(scope, fmt)](request, slug=slug)
