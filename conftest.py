"""Shared fixtures: a small newsroom built with the same factories as the demo."""

import datetime as dt
import os

import pytest
from django.utils import timezone

from masthead.articles.factories import ArticlePageFactory
from masthead.images.factories import MastheadImageFactory
from masthead.people.factories import AuthorFactory
from masthead.sections.factories import SectionPageFactory, TopicFactory, make_test_site


@pytest.fixture(scope="session", autouse=True)
def _no_session_left_on_the_test_database(request):
    """PostgreSQL runs: end every other session on this process's test database before
    pytest-django drops it. A server thread or a test's worker thread can still hold a
    connection at the end, and the database would then be left behind (a warning, and a
    stray database per run on the server)."""
    if not os.environ.get("MASTHEAD_TEST_DATABASE_URL"):
        yield
        return
    request.getfixturevalue("django_db_setup")  # torn down after this fixture
    blocker = request.getfixturevalue("django_db_blocker")
    yield
    from django.db import connection

    with blocker.unblock(), connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Start every test with an empty cache: cached pages must not outlive their test."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


class Newsroom:
    """Handles on a small site: home, two sections, topics, authors and stories."""

    def publish(self, section=None, *, days_ago: float = 1, revision: bool = False, **kwargs):
        """Return a new live story; ``revision=True`` publishes through a revision as the admin does."""
        section = section or self.news
        published = timezone.now() - dt.timedelta(days=days_ago)
        if not revision:
            return ArticlePageFactory(
                parent=section,
                live=True,
                first_published_at=published,
                last_published_at=published,
                **kwargs,
            )
        page = ArticlePageFactory(parent=section, live=False, **kwargs)
        page.save_revision().publish()
        type(page).objects.filter(pk=page.pk).update(first_published_at=published)
        page.refresh_from_db()
        return page


@pytest.fixture
def newsroom(db) -> Newsroom:
    home = make_test_site()
    n = Newsroom()
    n.home = home
    n.news = SectionPageFactory(parent=home, title="News", slug="news")
    n.analysis = SectionPageFactory(parent=home, title="Analysis", slug="analysis")
    n.image = MastheadImageFactory(
        caption="Officials at the border, Varsk, 3 March", credit="Ana Rivas"
    )
    n.reporter = AuthorFactory(name="Mira Castellan", slug="mira-castellan")
    n.columnist = AuthorFactory(name="Kenji Larsson-Abe", slug="kenji-larsson-abe")
    n.marevia = TopicFactory(name="Marevia", slug="marevia", kind="place")
    n.energy = TopicFactory(name="Energy", slug="energy")
    n.stories = [
        n.publish(
            n.news if i % 2 == 0 else n.analysis,
            days_ago=i + 1,
            title=f"Story number {i} about the border",
            slug=f"story-{i}",
            lead_image=n.image,
            authors=[n.reporter],
            topics=[n.marevia] if i % 3 else [n.energy],
            editors_choice=(i % 4 == 0),
        )
        for i in range(8)
    ]
    return n
