"""Work out the canonical URL, social card, feed links and JSON-LD for the page rendered."""

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _

from masthead.articles.models import ArticlePage
from masthead.core.site_address import absolute, page_url
from masthead.live.models import LivePage
from masthead.people.models import Author
from masthead.sections.models import HomePage, SectionPage, Topic

from . import structured_data as sd

FEED_TYPES = (
    ("rss", "application/rss+xml", "RSS"),
    ("atom", "application/atom+xml", "Atom"),
    ("json", "application/feed+json", "JSON Feed"),
)


def feed_links(label: str, scope: str = "site", slug: str | None = None) -> list[dict]:
    """Return autodiscovery links for one scope's feeds in every format."""
    links = []
    for fmt, mime, name in FEED_TYPES:
        if scope == "site":
            href = reverse("site_feed", kwargs={"fmt": fmt})
        else:
            href = reverse("scoped_feed", kwargs={"scope": scope, "slug": slug, "fmt": fmt})
        links.append({"href": href, "type": mime, "title": f"{label} ({name})"})
    return links


def _page_number(request: HttpRequest) -> int:
    raw = request.GET.get("page", "")
    return int(raw) if raw.isdigit() and 1 < int(raw) <= 1_000_000 else 1


def canonical_url(request: HttpRequest, base: str) -> str:
    """Return ``base`` plus the listing page number, the only query a canonical URL keeps."""
    number = _page_number(request)
    return f"{base}?page={number}" if number > 1 else base


def head_data(context) -> sd.HeadData | None:
    """Return the head data for the template ``context``, or None outside a request."""
    from django.conf import settings

    request = context.get("request")
    if request is None:
        return None
    page = context.get("page")
    home_url = absolute("/")
    site_name = context.get("publication_name") or settings.WAGTAIL_SITE_NAME
    data = sd.HeadData(feeds=feed_links(site_name))
    topic, author = context.get("topic"), context.get("author")

    if isinstance(page, ArticlePage):
        _article(data, page, request)
    elif page is not None and hasattr(page, "get_full_url"):
        data.canonical = canonical_url(request, page_url(page, request) or home_url)
        data.title = page.seo_title or page.title
        data.description = page.search_description or getattr(page, "description", "")
        if isinstance(page, HomePage):
            data.title = page.seo_title or site_name
            data.description = data.description or page.intro
            data.json_ld.append(sd.website(request, home_url))
        elif isinstance(page, SectionPage):
            data.feeds += feed_links(page.title, "section", page.slug)
    elif isinstance(topic, Topic):
        data.canonical = canonical_url(request, absolute(request.path))
        data.title = topic.name
        data.description = topic.description or _("Stories about %(topic)s.") % {
            "topic": topic.name
        }
        data.feeds += feed_links(topic.name, "topic", topic.slug)
    elif context.get("canonical_path"):
        # A listing that is neither a page nor a topic or author (the corrections page).
        data.canonical = canonical_url(request, absolute(context["canonical_path"]))
        data.title = context.get("head_title", "")
        data.description = context.get("head_description", "")
    elif isinstance(author, Author):
        data.og_type = "profile"
        data.canonical = canonical_url(request, absolute(request.path))
        data.title = author.name
        data.description = author.bio or _("Stories by %(author)s.") % {"author": author.name}
        data.feeds += feed_links(author.name, "author", author.slug)
    return data


def _article(data: sd.HeadData, story: ArticlePage, request: HttpRequest) -> None:
    canonical = page_url(story, request) or absolute(request.path)
    images = sd.article_images(story, request)
    data.canonical = canonical
    data.og_type = "article"
    data.title = story.seo_title or story.title
    data.description = story.search_description or story.standfirst
    data.image = images[0] if images else None
    data.published = sd.iso(story.first_published_at)
    data.modified = sd.iso(story.modified_at)
    data.section = story.section.title if story.section else ""
    data.tags = [topic.name for topic in story.topics]
    data.author_urls = [absolute(author.get_absolute_url()) for author in story.authors]
    if isinstance(story, LivePage):
        entries = list(story.visible_entries().newest_first()[: sd.LIVE_UPDATES])
        data.json_ld.append(sd.live_blog_posting(story, request, canonical, images, entries))
        for fmt, mime, name in FEED_TYPES:
            if fmt in ("atom", "json"):
                href = reverse("live_feed", kwargs={"page_id": story.pk, "fmt": fmt})
                data.feeds.append({"href": href, "type": mime, "title": f"{story.title} ({name})"})
    else:
        data.json_ld.append(sd.news_article(story, request, canonical, images))
    trail = [(_("Home"), absolute("/"))]
    if story.section:
        trail.append((story.section.title, page_url(story.section, request)))
        data.feeds += feed_links(story.section.title, "section", story.section.slug)
    trail.append((story.title, canonical))
    data.json_ld.append(sd.breadcrumbs(trail))
