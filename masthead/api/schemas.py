"""The API's own JSON shapes. The OpenAPI document is generated from these classes, and
every answer is validated against them before it is sent (and cached)."""

import datetime as dt

from ninja import Schema


class SectionRef(Schema):
    id: int
    slug: str
    title: str
    url: str


class TopicRef(Schema):
    slug: str
    name: str
    kind: str


class AuthorRef(Schema):
    slug: str
    name: str
    job_title: str


class Image(Schema):
    url: str
    width: int
    height: int
    alt: str
    caption: str
    credit: str


class Source(Schema):
    name: str
    url: str


class Licence(Schema):
    code: str
    name: str
    url: str
    republishable: bool


class StoryLinks(Schema):
    self: str
    ninjs: str


class CorrectionRef(Schema):
    published_at: dt.datetime
    text: str


class StorySummary(Schema):
    id: int
    url: str
    headline: str
    kicker: str
    standfirst: str
    section: SectionRef | None
    topics: list[TopicRef]
    authors: list[AuthorRef]
    byline: str
    published_at: dt.datetime
    updated_at: dt.datetime | None
    last_published_at: dt.datetime | None
    image: Image | None
    source: Source | None
    licence: Licence
    links: StoryLinks


class Story(StorySummary):
    body_html: str
    corrections: list[CorrectionRef]


class StoryList(Schema):
    results: list[StorySummary]
    next: str | None
    next_cursor: str | None


class Section(SectionRef):
    description: str
    stories: str


class SectionList(Schema):
    results: list[Section]
    next: str | None
    next_cursor: str | None


class Topic(TopicRef):
    description: str
    url: str
    stories: str


class TopicList(Schema):
    results: list[Topic]
    next: str | None
    next_cursor: str | None


class Author(AuthorRef):
    bio: str
    url: str
    stories: str


class AuthorList(Schema):
    results: list[Author]
    next: str | None
    next_cursor: str | None


class Correction(Schema):
    id: int
    story_id: int
    story_url: str
    headline: str
    published_at: dt.datetime
    text: str


class CorrectionList(Schema):
    results: list[Correction]
    next: str | None
    next_cursor: str | None


class PageLinks(Schema):
    self: str


class PageOut(Schema):
    id: int
    title: str
    type: str
    url: str
    last_published_at: dt.datetime | None
    description: str
    links: PageLinks


class PageDetail(PageOut):
    kind: str
    standfirst: str
    body_html: str


class PageList(Schema):
    results: list[PageOut]
    next: str | None
    next_cursor: str | None


class Error(Schema):
    detail: str | list
