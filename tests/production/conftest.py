"""Fixtures for the production tests: a fresh PostgreSQL database with a small newsroom."""

import shutil
import tempfile
from pathlib import Path

import pytest

from .servers import (
    SHARED_REDIS_URL,
    RedisServer,
    masthead,
    new_database,
    postgres_or_skip,
    production_env,
    redis_or_skip,
)

# A newsroom of a few stories, several about the harbour (the search the issue measured).
SITE = """
import datetime as dt
from django.utils import timezone
from masthead.articles.factories import ArticlePageFactory
from masthead.sections.factories import SectionPageFactory, make_test_site
home = make_test_site(title="Harbour Times", hostname="news.example.org")
news = SectionPageFactory(parent=home, title="News", slug="news")
for n in range(12):
    ArticlePageFactory(
        parent=news, live=True, slug=f"harbour-{n}",
        title=f"Harbour dredging, part {n}", standfirst="The harbour board meets again.",
        first_published_at=timezone.now() - dt.timedelta(days=n + 1),
    )
ArticlePageFactory(parent=news, live=False, slug="draft-ferry", title="Ferry draft never shown")
"""


@pytest.fixture
def workdir():
    folder = Path(tempfile.mkdtemp(prefix="masthead-production-"))
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture
def database():
    """A fresh PostgreSQL database, dropped (sessions and all) after the test."""
    postgres_or_skip()
    db = new_database()
    yield db
    db.drop()


@pytest.fixture(scope="session")
def newsroom_template():
    """A database migrated once per test process, with the small newsroom of SITE."""
    postgres_or_skip()
    template = new_database("masthead_tmpl")
    folder = Path(tempfile.mkdtemp(prefix="masthead-production-template-"))
    try:
        env = production_env(folder / "setup", template)
        masthead(env, "manage", "migrate", "--verbosity", "0")
        masthead(env, "manage", "shell", "-c", SITE)
        template.make_template()
        yield template
    finally:
        template.drop()
        shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture
def newsroom_db(newsroom_template):
    """A fresh database of the test's own: a copy of the migrated newsroom (one
    ``CREATE DATABASE ... TEMPLATE`` instead of a migration per test)."""
    db = new_database(template=newsroom_template)
    yield db
    db.drop()


@pytest.fixture(scope="session")
def shared_redis():
    """The URL of a Redis the tests that never stop it share: MASTHEAD_PRODUCTION_REDIS
    when set, else a Redis this test process starts (so CI, with only the service's
    Redis on 6379, runs these tests instead of skipping them)."""
    if SHARED_REDIS_URL:
        redis_or_skip(SHARED_REDIS_URL)
        yield SHARED_REDIS_URL
        return
    folder = Path(tempfile.mkdtemp(prefix="masthead-production-redis-"))
    server = RedisServer(folder).start()
    try:
        yield server.url
    finally:
        server.stop()
        shutil.rmtree(folder, ignore_errors=True)
