import datetime as dt

import pytest
from django.utils import timezone

from masthead.live.factories import LiveEntryFactory, LivePageFactory


class Coverage:
    """A live page in the News section with three visible entries, one pinned."""


@pytest.fixture
def coverage(newsroom) -> Coverage:
    c = Coverage()
    c.newsroom = newsroom
    now = timezone.now()
    c.page = LivePageFactory(
        parent=newsroom.news,
        live=True,
        first_published_at=now - dt.timedelta(hours=2),
        last_published_at=now - dt.timedelta(hours=2),
        title="Live: the border vote",
        slug="live-border-vote",
        authors=[newsroom.reporter],
        topics=[newsroom.marevia],
    )
    c.first = LiveEntryFactory(
        page=c.page,
        headline="Polls open",
        published_at=now - dt.timedelta(minutes=90),
        author=newsroom.reporter,
    )
    c.second = LiveEntryFactory(
        page=c.page, published_at=now - dt.timedelta(minutes=30), author=newsroom.columnist
    )
    c.pinned = LiveEntryFactory(
        page=c.page,
        headline="What you need to know",
        published_at=now - dt.timedelta(minutes=100),
        pinned=True,
    )
    return c
