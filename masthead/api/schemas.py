"""The API's own JSON shapes. The OpenAPI document is generated from these classes, and
every answer is validated against them before it is sent (and cached)."""

import datetime as dt

from ninja import Field, Schema
from pydantic import ConfigDict, model_serializer


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


# IPTC ninjs 2.0 (https://www.iptc.org/std/ninjs/), the part of it Masthead writes.
# Field names are ninjs's own; optional ones are left out of the answer when empty
# (ninjs refuses null). "forbid" makes a field written but not declared here an
# error in the tests instead of silently dropped from the answer.


class Ninjs(Schema):
    model_config = ConfigDict(extra="forbid")

    @model_serializer(mode="wrap")
    def _omit_empty(self, handler):
        return {name: value for name, value in handler(self).items() if value is not None}


class NinjsStandard(Ninjs):
    name: str
    version: str
    schema_url: str = Field(alias="schema")


class NinjsText(Ninjs):
    """A headline, description or body."""

    role: str | None = None
    contenttype: str | None = None
    value: str


class NinjsConcept(Ninjs):
    """A person, organisation, place or subject the story is about, or its section."""

    name: str
    rel: str
    literal: str | None = None
    uri: str | None = None


class NinjsInfoSource(Ninjs):
    name: str
    uri: str | None = None


class NinjsAltId(Ninjs):
    role: str
    value: str


class NinjsRightsInfo(Ninjs):
    linkedrights: str


class NinjsRendition(Ninjs):
    name: str
    href: str
    width: int
    height: int


class NinjsAssociation(Ninjs):
    """The lead picture: ``featureimage``, its credit in ``by``."""

    name: str
    uri: str
    type: str
    headlines: list[NinjsText]
    renditions: list[NinjsRendition]
    by: str | None = None
    descriptions: list[NinjsText] | None = None


class NinjsStory(Ninjs):
    """One story as ninjs 2.0; validated in the tests against IPTC's own JSON schema."""

    uri: str
    standard: NinjsStandard
    type: str
    representationtype: str
    profile: str
    version: str
    firstcreated: dt.datetime | None = None
    versioncreated: dt.datetime | None = None
    pubstatus: str
    language: str
    headlines: list[NinjsText]
    descriptions: list[NinjsText]
    bodies: list[NinjsText]
    copyrightholder: str
    copyrightnotice: str
    usageterms: str
    altids: list[NinjsAltId]
    rightsinfo: NinjsRightsInfo | None = None
    by: str | None = None
    slugline: str | None = None
    people: list[NinjsConcept] | None = None
    places: list[NinjsConcept] | None = None
    organisations: list[NinjsConcept] | None = None
    subjects: list[NinjsConcept] | None = None
    infosources: list[NinjsInfoSource]
    ednote: str | None = None
    associations: list[NinjsAssociation] | None = None


class NinjsStoryList(Schema):
    results: list[NinjsStory]
    next: str | None
    next_cursor: str | None
