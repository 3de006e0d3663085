"""A story as the checks see it: its prose, segment by segment, and its fields.

A field that the source cannot say anything about (a plain text file has no lead
image) is ``None``; an empty value that the story should have filled in is ``""``.
"""

import re
from dataclasses import dataclass, field

from .text import html_to_text, looks_like_html, split_paragraphs


@dataclass
class Segment:
    field: str
    label: str
    text: str
    # headline, standfirst, paragraph, heading, quote, caption, attribution, role, credit,
    # source: a copy desk reads every field of a story as one text for names and titles.
    kind: str = "paragraph"


@dataclass
class Quote:
    field: str
    text: str
    attribution: str
    role: str


@dataclass
class LeadImage:
    caption: str
    credit: str
    alt: str


@dataclass
class Story:
    headline: str = ""
    standfirst: str | None = None
    segments: list[Segment] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)
    lead_image: LeadImage | None = None
    has_lead_image: bool | None = None
    source: str | None = None
    authors: list[str] | None = None
    section: str | None = None
    topics: list[str] | None = None
    # The site's own names ("Riverwatch", "riverwatch.org"): known words, never misspellings.
    outlets: list[str] = field(default_factory=list)

    @property
    def prose(self) -> list[Segment]:
        return self.segments

    @property
    def paragraphs(self) -> list[Segment]:
        return [s for s in self.segments if s.kind == "paragraph"]

    @property
    def word_count(self) -> int:
        return sum(len(s.text.split()) for s in self.segments)

    def segment(self, field_name: str) -> Segment | None:
        return next((s for s in self.segments if s.field == field_name), None)


def build_story(
    headline: str,
    paragraphs: list[str],
    standfirst: str | None = None,
    **fields,
) -> Story:
    """Return a Story from plain values; the segments are numbered like body blocks."""
    story = Story(headline=headline or "", standfirst=standfirst, **fields)
    if headline:
        story.segments.append(Segment("title", "Headline", headline, "headline"))
    if standfirst:
        story.segments.append(Segment("standfirst", "Standfirst", standfirst, "standfirst"))
    for index, paragraph in enumerate(paragraphs):
        story.segments.append(
            Segment(f"body.{index}", f"Body, paragraph {index + 1}", paragraph, "paragraph")
        )
    _add_field_segments(story)
    return story


def _add_field_segments(story: Story) -> None:
    """Add the lead image's caption and credit and the source line as segments."""
    image = story.lead_image
    if image is not None and image.caption:
        story.segments.append(
            Segment("lead_image_caption", "Lead image caption", image.caption, "caption")
        )
    if image is not None and image.credit:
        story.segments.append(
            Segment("lead_image_credit", "Lead image credit", image.credit, "credit")
        )
    if story.source:
        story.segments.append(Segment("source_name", "Source", story.source, "source"))


_HEADER_RE = re.compile(
    r"^(standfirst|source|section|topics|caption|credit|alt|image)\s*:\s*(.*)$", re.I
)


def story_from_text(raw: str) -> Story:
    """Return a Story from a text or HTML file: first line the headline, then the body.

    Lines right after the headline of the form ``Standfirst: ...``, ``Source: ...``,
    ``Section: ...``, ``Topics: a, b``, ``Image: yes``, ``Caption: ...``, ``Credit: ...``
    and ``Alt: ...`` fill the story's fields; fields not given are not checked.
    """
    raw = (raw or "").replace("\r\n", "\n").replace("\x00", "")
    if looks_like_html(raw):
        headline_match = re.search(r"<h1[^>]*>(.*?)</h1>", raw, re.I | re.S)
        text = html_to_text(raw)
        if headline_match:
            headline = html_to_text(headline_match.group(1))
            body = text.replace(headline, "", 1)
        else:
            headline, _, body = text.partition("\n")
    else:
        headline, _, body = raw.strip().partition("\n")
    lines = body.strip().split("\n")
    values: dict[str, str] = {}
    while lines and (match := _HEADER_RE.match(lines[0].strip())):
        values[match.group(1).lower()] = match.group(2).strip()
        lines.pop(0)
    paragraphs = split_paragraphs("\n".join(lines))
    has_image = None
    lead_image = None
    if {"image", "caption", "credit", "alt"} & values.keys():
        has_image = values.get("image", "yes").lower() not in ("", "no", "none")
        if has_image:
            lead_image = LeadImage(
                values.get("caption", ""), values.get("credit", ""), values.get("alt", "")
            )
    topics = None
    if "topics" in values:
        topics = [t.strip() for t in values["topics"].split(",") if t.strip()]
    return build_story(
        headline.strip(),
        paragraphs,
        standfirst=values.get("standfirst"),
        source=values.get("source"),
        section=values.get("section"),
        topics=topics,
        has_lead_image=has_image,
        lead_image=lead_image,
    )


def story_from_page(page) -> Story:
    """Return a Story from an ArticlePage, including unsaved in-memory changes."""
    story = Story(headline=page.title or "", standfirst=page.standfirst or "")
    if page.title:
        story.segments.append(Segment("title", "Headline", page.title, "headline"))
    if page.standfirst:
        story.segments.append(Segment("standfirst", "Standfirst", page.standfirst, "standfirst"))
    for index, block in enumerate(page.body or []):
        _add_block(story, index, block.block_type, block.value)
    image = page.lead_image
    story.has_lead_image = image is not None
    if image is not None:
        story.lead_image = LeadImage(
            caption=page.lead_image_caption or getattr(image, "caption", ""),
            credit=page.lead_image_credit or getattr(image, "credit", ""),
            alt=getattr(image, "description", "") or "",
        )
    story.source = page.source_name or ""
    _add_field_segments(story)
    story.authors = [link.author.name for link in page.article_authors.all() if link.author_id]
    story.topics = [link.topic.name for link in page.article_topics.all() if link.topic_id]
    # A new page has no parent yet in memory; ArticlePage can only live in a section.
    section = page.get_parent() if page.pk and page.depth else None
    story.section = section.title if section is not None else None
    return story


def story_from_blocks(headline: str, body, authors: list[str] | None = None) -> Story:
    """Return a Story from a headline and body blocks alone: a live entry, for instance.

    Fields such an item does not have (standfirst, lead image, source, section) are
    ``None``, so no check asks for them.
    """
    story = Story(headline=headline or "", authors=authors)
    if headline:
        story.segments.append(Segment("headline", "Headline", headline, "headline"))
    for index, block in enumerate(body or []):
        _add_block(story, index, block.block_type, block.value)
    return story


def _add_block(story: Story, index: int, kind: str, value) -> None:
    prefix = f"body.{index}"
    number = index + 1
    if kind == "paragraph":
        source = value.source if hasattr(value, "source") else str(value)
        for offset, paragraph in enumerate(split_paragraphs(html_to_text(source))):
            name = prefix if offset == 0 else f"{prefix}.{offset}"
            story.segments.append(Segment(name, f"Body, block {number}", paragraph, "paragraph"))
    elif kind == "heading":
        story.segments.append(Segment(prefix, f"Body, heading {number}", str(value), "heading"))
    elif kind == "quote":
        quote = value.get("quote") or ""
        field = f"{prefix}.quote"
        story.segments.append(Segment(field, f"Body, quote {number}", quote, "quote"))
        attribution, role = value.get("attribution") or "", value.get("role") or ""
        story.quotes.append(Quote(field, quote, attribution, role))
        if attribution:
            story.segments.append(
                Segment(
                    f"{prefix}.attribution",
                    f"Body, quote {number}, who",
                    attribution,
                    "attribution",
                )
            )
        if role:
            story.segments.append(
                Segment(f"{prefix}.role", f"Body, quote {number}, role", role, "role")
            )
    elif kind in ("image", "embed"):
        caption = value.get("caption") or ""
        if caption:
            story.segments.append(
                Segment(f"{prefix}.caption", f"Body, caption {number}", caption, "caption")
            )


_TLD_PARTS = {"www", "com", "org", "net", "co", "uk", "info", "news", "io", "eu", "gov", "edu"}


def own_words(story: Story) -> set[str]:
    """Return the lower-cased words of the story's outlets: its source line and site.

    'riverwatch.org' gives 'riverwatch'; 'River Watch Daily' gives 'river', 'watch',
    'daily' and 'riverwatch', so the body's 'Riverwatch' is the outlet, not a slip.
    """
    words: set[str] = set()
    for name in [story.source or "", *story.outlets]:
        parts = [p.lower() for p in re.findall(r"[^\W\d_]+", name)]
        kept = [p for p in parts if p not in _TLD_PARTS] or parts
        words.update(kept)
        if len(kept) > 1:
            words.add("".join(kept))
    return words
