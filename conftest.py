"""Shared fixtures: a small newsroom built with the same factories as the demo."""

import datetime as dt
import os
import sqlite3
from pathlib import Path

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


def pytest_collection_modifyitems(items):
    # Servers and command-line runs start from a copy of the suite's test database
    # (``migrated_sqlite``): make sure pytest-django creates it even when only such
    # tests are selected (it sets up no database for a run without a database test).
    for item in items:
        if "migrated_sqlite" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.django_db)


@pytest.fixture(scope="session")
def migrated_sqlite(tmp_path_factory, django_db_setup, django_db_blocker) -> Path | None:
    """Return a file copy of the suite's migrated SQLite test database (None on PostgreSQL).

    Migrating a new database costs 40 s here (over two minutes on a loaded machine); the
    suite has already done it. Tests that start servers or command-line runs on a data
    folder of their own copy this file in (``tests.migrated.place``) instead of migrating
    again, unless migrating is what they test.
    """
    from django.db import connection

    if connection.vendor != "sqlite":
        return None
    target = tmp_path_factory.mktemp("migrated-db") / "migrated.sqlite3"
    with django_db_blocker.unblock():
        connection.ensure_connection()
        destination = sqlite3.connect(target)
        connection.connection.backup(destination)
        destination.close()
    target.chmod(0o600)
    return target


_MIGRATION_ROWS: dict[str, str] = {}


@pytest.fixture(scope="session", autouse=True)
def _migration_rows(request):
    """Keep the rows migrations create (locale, root page, default site, root collection,
    roles, workflow) as they are before any test runs.

    A test on ``transactional_db`` (live servers, threads) empties every table when it
    ends, and nothing puts those rows back: every later test in the same process that
    needs a site would fail, depending only on which files xdist gave that process.
    ``pytest_runtest_teardown`` below loads them again after such a test.
    """
    request.getfixturevalue("django_db_setup")
    blocker = request.getfixturevalue("django_db_blocker")
    from django.db import connection

    with blocker.unblock():
        # With no test of this run on the database, none was set up: nothing to keep.
        if connection.introspection.table_names():
            _MIGRATION_ROWS["default"] = connection.creation.serialize_db_to_string()
    yield


def _is_transactional(item) -> bool:
    marker = item.get_closest_marker("django_db")
    if marker is not None and (marker.kwargs.get("transaction") or marker.args[:1] == (True,)):
        return True
    names = getattr(item, "fixturenames", ())
    return "transactional_db" in names or "live_server" in names


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_teardown(item, nextitem):
    yield  # the test's fixtures are gone now, the flush of a transactional test included
    # After the last test the test database is gone already: nothing left to restore for.
    if not _MIGRATION_ROWS or nextitem is None or not _is_transactional(item):
        return
    from django.db import connection
    from pytest_django.plugin import blocking_manager_key
    from wagtail.models import Site

    with item.config.stash[blocking_manager_key].unblock():
        if not Site.objects.exists():
            from django.core.management import call_command

            # The flush re-created content types and permissions with new ids: empty the
            # tables again without them, then load the rows as migrations left them.
            call_command("flush", verbosity=0, interactive=False, inhibit_post_migrate=True)
            connection.creation.deserialize_db_from_string(_MIGRATION_ROWS["default"])
            # PostgreSQL's sequences restarted at 1 with the flush: move them past the rows.
            from django.apps import apps
            from django.core.management.color import no_style

            statements = connection.ops.sequence_reset_sql(no_style(), apps.get_models())
            if statements:
                with connection.cursor() as cursor:
                    for statement in statements:
                        cursor.execute(statement)
            from django.contrib.contenttypes.models import ContentType

            ContentType.objects.clear_cache()  # it holds the ids the flush made
        connection.close()


@pytest.fixture(autouse=True)
def _umask_kept():
    """Give every test the umask the suite started with.

    ``masthead`` commands run in-process set a private umask (masthead.core.file_modes)
    for the whole process: servers a later test starts (varnishd's compiler runs as its
    own user) would find their work folders closed to them.
    """
    before = os.umask(0o022)
    os.umask(before)
    yield
    os.umask(before)


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Start every test with an empty cache: cached pages must not outlive their test."""
    from django.core.cache import cache

    from masthead.core import changes, state

    cache.clear()
    state.store().clear()
    changes.forget_local()
    yield
    cache.clear()
    state.store().clear()
    changes.forget_local()


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
