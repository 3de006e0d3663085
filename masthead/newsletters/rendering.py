"""Turn an issue into an e-mail: teasers from the site, table HTML with inlined CSS, text.

Every teaser comes from ``ArticlePage.objects.cards()`` (live, public stories only), for
a preview as for a send: a chosen story that is a draft, scheduled or private is left
out, never shown. A story appears once per issue. The HTML is rendered once per send
with placeholders for the links that differ per reader (``personalise``).
"""

import re
from dataclasses import dataclass, field
from urllib.parse import urljoin

import css_inline
from django.conf import settings
from django.template.loader import render_to_string

from masthead.articles.models import ArticlePage
from masthead.editorial.text import html_to_text
from masthead.sections.listing import attach_sections

from .links import site_base

MANAGE = "%%MASTHEAD_MANAGE_URL%%"
UNSUBSCRIBE = "%%MASTHEAD_UNSUBSCRIBE_URL%%"
# Gmail clips a message past 102 KB of HTML; the rest hides behind "View entire message".
GMAIL_CLIP_BYTES = 102 * 1024
IMAGE_SPEC = "fill-1120x630"  # 2x for the 560 px column
IMAGE_WIDTH, IMAGE_HEIGHT = 560, 315
_INLINER = css_inline.CSSInliner(keep_style_tags=True, load_remote_stylesheets=False)


@dataclass
class Teaser:
    headline: str
    standfirst: str
    url: str
    section: str = ""
    image_url: str = ""
    image_alt: str = ""
    width: int = IMAGE_WIDTH
    height: int = IMAGE_HEIGHT


@dataclass
class Part:
    kind: str  # "text" or "teasers"
    heading: str = ""
    html: str = ""
    teasers: list[Teaser] = field(default_factory=list)


@dataclass
class RenderedIssue:
    subject: str
    preheader: str
    html: str
    text: str
    parts: list[Part]

    @property
    def html_bytes(self) -> int:
        return len(self.html.encode())


def _absolute(base: str, url: str) -> str:
    return urljoin(base + "/", url) if url else base + "/"


def _teaser(story: ArticlePage, base: str) -> Teaser | None:
    url_parts = story.get_url_parts()
    if url_parts is None:
        return None  # not routable from any site
    teaser = Teaser(
        headline=story.title,
        standfirst=story.standfirst,
        url=_absolute(base, url_parts[2]),
        section=getattr(story.section, "title", "") if story.section else "",
    )
    if story.lead_image is not None:
        rendition = story.lead_image.get_rendition(IMAGE_SPEC)
        teaser.image_url = _absolute(base, rendition.url)
        teaser.image_alt = story.lead_image.default_alt_text
        teaser.height = round(IMAGE_WIDTH * rendition.height / rendition.width)
    return teaser


def _ordered(ids: list[int]) -> list[ArticlePage]:
    found = {s.pk: s for s in ArticlePage.objects.cards().filter(pk__in=ids)}
    return [found[pk] for pk in ids if pk in found]


def _stories_for(block_type: str, value, seen: set[int]) -> list[ArticlePage]:
    if block_type == "stories":
        ids = [page.pk for page in value["stories"] if page is not None]
        stories = [s for s in _ordered(ids) if s.pk not in seen]
    elif block_type == "latest":
        query = ArticlePage.objects.cards().exclude(pk__in=seen)
        if value.get("section"):
            query = query.descendant_of(value["section"])
        if value.get("topic"):
            query = query.filter(article_topics__topic=value["topic"]).distinct()
        stories = list(query[: value["count"]])
    elif block_type in ("editors_choice", "popular"):
        from masthead.discovery.services import blocks_for

        blocks = blocks_for(None, exclude=seen, size=value["count"])
        stories = blocks.editors_choice if block_type == "editors_choice" else blocks.popular
    else:
        return []
    seen.update(s.pk for s in stories)
    return stories


def resolve_parts(issue) -> list[Part]:
    """Return the issue's parts with each teaser block filled from the live site."""
    base = site_base(issue.newsletter.site)
    seen: set[int] = set()
    parts = []
    for block in issue.body:
        value = block.value
        if block.block_type == "text":
            parts.append(Part("text", value.get("heading") or "", str(value["text"])))
            continue
        stories = _stories_for(block.block_type, value, seen)
        if not stories:
            continue  # an empty block is left out, heading and all
        attach_sections(stories)
        teasers = [t for t in (_teaser(s, base) for s in stories) if t is not None]
        if teasers:
            parts.append(Part("teasers", value.get("heading") or "", teasers=teasers))
    return parts


def _absolute_links(html: str, base: str) -> str:
    """Make the editor's relative links (rich text, page links) absolute."""
    return re.sub(r'href="/', f'href="{base}/', html)


def render_issue(issue, preview: bool = False) -> RenderedIssue:
    """Return the issue as one e-mail, with per-reader links left as placeholders."""
    from wagtail.rich_text import expand_db_html

    newsletter = issue.newsletter
    base = site_base(newsletter.site)
    parts = resolve_parts(issue)
    for part in parts:
        if part.kind == "text":
            part.html = _absolute_links(expand_db_html(part.html), base)
    intro = _absolute_links(expand_db_html(issue.intro or ""), base)
    preheader = issue.preheader or html_to_text(intro)[:140]
    context = {
        "issue": issue,
        "newsletter": newsletter,
        "site_name": settings.WAGTAIL_SITE_NAME,
        "site_url": base + "/",
        "intro": intro,
        "intro_text": html_to_text(intro),
        "preheader": preheader,
        "parts": parts,
        "manage_url": MANAGE,
        "unsubscribe_url": UNSUBSCRIBE,
        "preview": preview,
    }
    html = render_to_string("newsletters/email/issue.html", context)
    html = _INLINER.inline(html)
    for part in parts:
        if part.kind == "text":
            part.html = html_to_text(part.html)
    text = render_to_string("newsletters/email/issue.txt", context)
    text = re.sub(r"\n{3,}", "\n\n", text).strip() + "\n"
    return RenderedIssue(issue.subject, preheader, html, text, parts)


def personalise(content: str, manage_url: str, unsubscribe_url: str) -> str:
    """Return ``content`` with one reader's preference and unsubscribe links."""
    return content.replace(MANAGE, manage_url).replace(UNSUBSCRIBE, unsubscribe_url)


def preview_context(issue, request) -> dict:
    return {"issue": issue}
