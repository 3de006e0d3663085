import datetime as dt

import pytest
from django.utils import timezone
from wagtail.models import PageViewRestriction

from masthead.articles.factories import ArticlePageFactory
from masthead.sections.factories import SectionPageFactory

HIDDEN_MARK = "zzhidden"


@pytest.fixture
def hidden(newsroom):
    """A draft, a scheduled, an unpublished and two private stories, all by the reporter."""
    common = {"topics": [newsroom.marevia], "authors": [newsroom.reporter]}
    draft = ArticlePageFactory(
        parent=newsroom.news,
        live=False,
        slug=f"{HIDDEN_MARK}-draft",
        title="Draft zzhidden",
        **common,
    )
    draft.save_revision()
    scheduled = ArticlePageFactory(
        parent=newsroom.news,
        live=False,
        slug=f"{HIDDEN_MARK}-scheduled",
        title="Scheduled zzhidden",
        **common,
    )
    scheduled.go_live_at = timezone.now() + dt.timedelta(days=1)
    scheduled.save_revision().publish()
    unpublished = newsroom.publish(
        slug=f"{HIDDEN_MARK}-unpublished", title="Unpublished zzhidden", days_ago=0.1, **common
    )
    unpublished.unpublish()
    private = newsroom.publish(
        slug=f"{HIDDEN_MARK}-private", title="Private zzhidden", days_ago=0.1, **common
    )
    PageViewRestriction.objects.create(page=private, restriction_type="login")
    members = SectionPageFactory(
        parent=newsroom.home, title="Members zzhidden", slug="zzhidden-members"
    )
    PageViewRestriction.objects.create(page=members, restriction_type="password", password="x")
    in_private_section = newsroom.publish(
        members,
        slug=f"{HIDDEN_MARK}-members-story",
        title="Members story zzhidden",
        days_ago=0.1,
        **common,
    )
    for story in (draft, scheduled, unpublished):
        story.refresh_from_db()
        assert not story.live, f"{story.slug} should not be live"
    return [draft, scheduled, unpublished, private, in_private_section]
