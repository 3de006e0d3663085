"""Bylines and topics of prefetched teasers belong to their own story only."""

import pytest

from masthead.articles.models import ArticlePage

pytestmark = pytest.mark.django_db


def test_a_story_without_authors_shows_no_other_story_s_byline(newsroom):
    newsroom.publish(slug="no-byline", title="Unsigned notice", authors=[], topics=[], days_ago=0)
    teasers = list(ArticlePage.objects.teasers().prefetch_related("article_topics"))
    unsigned = next(s for s in teasers if s.slug == "no-byline")
    assert unsigned.authors == []
    assert unsigned.topics == []
    signed = next(s for s in teasers if s.slug == "story-0")
    assert [a.name for a in signed.authors] == ["Mira Castellan"]
