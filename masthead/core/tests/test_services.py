"""The production services: PostgreSQL and Redis, when this machine has them."""

import pytest
from django.conf import settings
from django.core.cache import cache
from django.db import connection


@pytest.mark.redis
def test_cache_is_redis_when_redis_url_is_set():
    if not settings.REDIS_URL:
        pytest.skip("MASTHEAD_TEST_REDIS_URL is not set: this run uses the local-memory cache")
    # Redis behind Masthead's failover wrapper (local memory while Redis is unreachable).
    assert settings.CACHES["default"]["BACKEND"] == "masthead.core.failover.FailoverCache"
    primary = settings.CACHES["default"]["OPTIONS"]["PRIMARY"]
    assert primary["BACKEND"] == "django_redis.cache.RedisCache"
    assert cache.redis_is_up
    cache.set("masthead-probe", {"ok": 1}, 30)
    assert cache.get("masthead-probe") == {"ok": 1}
    assert cache.primary.client.get_client().ping()


@pytest.mark.postgres
@pytest.mark.django_db
def test_database_is_postgresql_when_database_url_is_set():
    if connection.vendor != "postgresql":
        pytest.skip("MASTHEAD_TEST_DATABASE_URL is not set: this run uses SQLite")
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        assert cursor.fetchone()[0]
