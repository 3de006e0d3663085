"""JSON-LD (schema.org) and social card data for stories, fronts, topics and authors.

Builders return plain dicts so tests can read them; :func:`json_ld_script` is the only
place that turns one into HTML, escaped so no field can close the script element.
"""

import json
import logging
from dataclasses import dataclass, field

from django.conf import settings
from django.http import HttpRequest
from django.templatetags.static import static
from django.utils.safestring import SafeString, mark_safe

from masthead.core.site_address import absolute
from masthead.navigation.identity import for_request

from . import conf
from .text import clean

logger = logging.getLogger(__name__)

# Google asks for several aspect ratios of an article image, each at least 1200 px wide.
ARTICLE_IMAGE_SPECS = ("fill-1200x675", "fill-1200x900", "fill-1200x1200")
LOGO_SIZE = 512
SEARCH_PATH = "search/?q={search_term_string}"


def json_ld_script(data: dict | list) -> SafeString:
    """Return ``data`` as a JSON-LD script element that no field value can break out of."""
    text = json.dumps(clean(data), ensure_ascii=False, separators=(",", ":"))
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return mark_safe(f'<script type="application/ld+json">{text}</script>')  # noqa: S308


def iso(value) -> str | None:
    return value.isoformat() if value else None


def publisher(request: HttpRequest, home_url: str) -> dict:
    """Return the publication as a schema.org NewsMediaOrganization.

    Name, logo, accounts elsewhere (``sameAs``) and the Trust Project's policy pages
    (``ethicsPolicy``, ``correctionsPolicy``, ``ownershipFundingInfo``...) come from the
    site identity and the published information pages (navigation.identity).
    """
    identity = for_request(request)
    logo = identity["logo"] or {
        "url": static(conf.publisher_logo()),
        "width": LOGO_SIZE,
        "height": LOGO_SIZE,
    }
    data = {
        "@type": "NewsMediaOrganization",
        "name": identity["name"],
        "url": home_url,
        "logo": {
            "@type": "ImageObject",
            "url": absolute(logo["url"]),
            "width": logo["width"],
            "height": logo["height"],
        },
    }
    if identity["social"]:
        data["sameAs"] = [account["url"] for account in identity["social"]]
    for prop, path in sorted(identity["trust"].items()):
        data[prop] = absolute(path)
    if identity["contact_email"]:
        data["email"] = identity["contact_email"]
    return data


def article_images(story, request: HttpRequest) -> list[dict]:
    """Return the lead image in the three crops search engines ask for, as absolute URLs."""
    image = story.lead_image
    if image is None:
        return []
    try:
        renditions = image.get_renditions(*ARTICLE_IMAGE_SPECS)
    except Exception:
        # A missing or broken image file must not take the story page down.
        logger.warning("No renditions for image %s", image.pk, exc_info=True)
        return []
    return [
        {
            "url": absolute(r.url),
            "width": r.width,
            "height": r.height,
            "alt": image.default_alt_text,
        }
        for r in (renditions[spec] for spec in ARTICLE_IMAGE_SPECS)
    ]


def news_article(story, request: HttpRequest, canonical: str, images: list[dict]) -> dict:
    """Return the schema.org NewsArticle for ``story``."""
    home_url = absolute("/")
    data = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "mainEntityOfPage": {"@type": "WebPage", "@id": canonical},
        "url": canonical,
        "headline": story.title,
        "description": story.search_description or story.standfirst,
        "datePublished": iso(story.first_published_at),
        "dateModified": iso(story.modified_at),
        "inLanguage": settings.LANGUAGE_CODE,
        "isAccessibleForFree": True,
        "author": [
            {
                "@type": "Person",
                "name": author.name,
                "url": absolute(author.get_absolute_url()),
                **({"jobTitle": author.job_title} if author.job_title else {}),
            }
            for author in story.authors
        ],
        "publisher": publisher(request, home_url),
        "sourceOrganization": {"@type": "Organization", "name": story.source_label},
    }
    if images:
        data["image"] = [image["url"] for image in images]
    if story.section:
        data["articleSection"] = story.section.title
    if story.topics:
        data["keywords"] = [topic.name for topic in story.topics]
    if story.source_url:
        data["isBasedOn"] = {
            "@type": "CreativeWork",
            "url": story.source_url,
            "publisher": {"@type": "Organization", "name": story.source_label},
        }
    corrections = list(story.correction_list)
    if corrections:
        data["correction"] = [
            {"@type": "CorrectionComment", "text": c.text, "datePublished": iso(c.published_at)}
            for c in corrections
        ]
    return data


# Entries listed in a live page's JSON-LD: the newest, as Google's guidelines show them.
LIVE_UPDATES = 20


def live_blog_posting(
    page, request: HttpRequest, canonical: str, images: list[dict], entries: list
) -> dict:
    """Return the schema.org LiveBlogPosting for a live page and its visible ``entries``.

    A LiveBlogPosting is an Article, so it carries everything the NewsArticle does, plus
    the coverage times and one BlogPosting per entry (``liveBlogUpdate``).
    """
    from django.utils.html import strip_tags

    data = news_article(page, request, canonical, images)
    data["@type"] = "LiveBlogPosting"
    data["coverageStartTime"] = iso(page.coverage_start)
    if page.coverage_end:
        data["coverageEndTime"] = iso(page.coverage_end)
    newest = max((e.published_at for e in entries), default=None)
    if newest and (not page.modified_at or newest > page.modified_at):
        data["dateModified"] = iso(newest)
    updates = []
    for entry in entries[:LIVE_UPDATES]:
        body = " ".join(
            " ".join(strip_tags(str(block.render())).split()) for block in entry.body
        ).strip()
        update = {
            "@type": "BlogPosting",
            "@id": f"{canonical}#{entry.anchor}",
            "url": f"{canonical}#{entry.anchor}",
            "headline": entry.headline or entry.summary or page.title,
            "datePublished": iso(entry.published_at),
            "articleBody": body,
        }
        if entry.corrected_at:
            update["dateModified"] = iso(entry.corrected_at)
            update["correction"] = {
                "@type": "CorrectionComment",
                "text": entry.correction,
                "datePublished": iso(entry.corrected_at),
            }
        if entry.author:
            update["author"] = {
                "@type": "Person",
                "name": entry.author.name,
                "url": absolute(entry.author.get_absolute_url()),
            }
        updates.append(update)
    data["liveBlogUpdate"] = updates
    return data


def breadcrumbs(trail: list[tuple[str, str]]) -> dict:
    """Return a BreadcrumbList for ``trail``, a list of (name, absolute URL) from the home page."""
    return {
        "@context": "https://schema.org",
        "@type": "BreadcrumbList",
        "itemListElement": [
            {"@type": "ListItem", "position": n, "name": name, "item": url}
            for n, (name, url) in enumerate(trail, start=1)
        ],
    }


def website(request: HttpRequest, home_url: str) -> dict:
    """Return the WebSite with the search box that search engines may show for it."""
    return {
        "@context": "https://schema.org",
        "@type": "WebSite",
        "name": for_request(request)["name"],
        "url": home_url,
        "inLanguage": settings.LANGUAGE_CODE,
        "publisher": publisher(request, home_url),
        "potentialAction": {
            "@type": "SearchAction",
            "target": {"@type": "EntryPoint", "urlTemplate": home_url + SEARCH_PATH},
            "query-input": "required name=search_term_string",
        },
    }


@dataclass
class HeadData:
    """Everything the head of one page says to machines."""

    canonical: str = ""
    title: str = ""
    description: str = ""
    og_type: str = "website"
    image: dict | None = None
    published: str | None = None
    modified: str | None = None
    section: str = ""
    tags: list[str] = field(default_factory=list)
    author_urls: list[str] = field(default_factory=list)
    feeds: list[dict] = field(default_factory=list)
    json_ld: list[dict] = field(default_factory=list)
