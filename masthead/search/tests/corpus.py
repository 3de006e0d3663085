"""Build the relevance archive (masthead.search.relevance) with the project's factories."""

import datetime as dt
import re

from django.core.cache import cache
from django.test import TestCase
from django.utils import timezone
from wagtail.search.backends import get_search_backend

from masthead.articles.factories import ArticlePageFactory, body_from_paragraphs
from masthead.people.factories import AuthorFactory
from masthead.search import relevance
from masthead.sections.factories import SectionPageFactory, TopicFactory, make_test_site

NOW = timezone.now()


def build_site():
    """Return (home, {slug: section}) for a fresh site."""
    home = make_test_site()
    sections = {
        slug: SectionPageFactory(parent=home, title=slug.title(), slug=slug)
        for slug in relevance.SECTIONS
    }
    return home, sections


def build_archive() -> dict:
    """Create every story of the relevance set; return key -> page."""
    _, sections = build_site()
    authors = {
        key: AuthorFactory(name=name, slug=name.lower().replace(" ", "-"))
        for key, name in relevance.AUTHORS.items()
    }
    topics = {
        key: TopicFactory(name=name, slug=key, kind=kind)
        for key, (name, kind) in relevance.TOPICS.items()
    }
    backend = get_search_backend()
    pages = {}
    for key, story in relevance.STORIES.items():
        section, days, title, standfirst, body, topic_keys, author_keys = story
        published = NOW - dt.timedelta(days=days)
        page = ArticlePageFactory(
            parent=sections[section],
            title=title,
            slug=key,
            standfirst=standfirst,
            body=body_from_paragraphs(body),
            live=True,
            first_published_at=published,
            last_published_at=published,
            topics=[topics[k] for k in topic_keys],
            authors=[authors[k] for k in author_keys],
        )
        # Bylines and topics are added after the page is saved; index them too.
        backend.add(page)
        pages[key] = page
    return pages


def result_slugs(html: str) -> list[str]:
    """The slugs of the results on a rendered search page, in order."""
    return re.findall(r'<h2><a href="/[^/]+/([^/]+)/">', html)


class ArchiveTestCase(TestCase):
    """Tests over the small archive of ``build_archive``, each starting with an empty cache."""

    @classmethod
    def setUpTestData(cls):
        cls.pages = build_archive()

    def setUp(self):
        cache.clear()

    @property
    def news(self):
        return self.pages["varsk-talks"].get_parent()
