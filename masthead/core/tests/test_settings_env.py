"""Settings read from the environment give safe defaults and name bad variables."""

import os
import stat
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from masthead.settings import env


def test_sqlite_is_the_default_database(tmp_path, monkeypatch):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    config = env.database(tmp_path / "db.sqlite3")
    assert config["ENGINE"] == "django.db.backends.sqlite3"
    assert config["NAME"] == str(tmp_path / "db.sqlite3")
    assert "journal_mode=WAL" in config["OPTIONS"]["init_command"]


def test_database_url_selects_postgresql(tmp_path, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "postgres://news:pw@127.0.0.1:5432/masthead")
    config = env.database(tmp_path / "db.sqlite3")
    assert config["ENGINE"] == "django.db.backends.postgresql"
    assert config["NAME"] == "masthead"
    assert config["CONN_MAX_AGE"] == 600


@pytest.mark.parametrize("url", ["not a url", "nosuchdb://x/y", "postgres//missing-colon"])
def test_invalid_database_url_names_the_variable(tmp_path, monkeypatch, url):
    monkeypatch.setenv("DATABASE_URL", url)
    with pytest.raises(ImproperlyConfigured, match="DATABASE_URL"):
        env.database(tmp_path / "db.sqlite3")


def test_redis_url_selects_django_redis_behind_the_failover():
    caches = env.cache("redis://127.0.0.1:6379/3")
    for alias in ("default", "state"):
        assert caches[alias]["BACKEND"] == "masthead.core.failover.FailoverCache"
        primary = caches[alias]["OPTIONS"]["PRIMARY"]
        assert primary["BACKEND"] == "django_redis.cache.RedisCache"
        assert primary["LOCATION"] == "redis://127.0.0.1:6379/3"
        # Errors reach the failover, which logs once per outage.
        assert primary["OPTIONS"]["IGNORE_EXCEPTIONS"] is False


def test_no_redis_url_means_local_memory_cache():
    assert env.cache(None)["default"]["BACKEND"].endswith("LocMemCache")


def test_invalid_redis_url_names_the_variable():
    with pytest.raises(ImproperlyConfigured, match="REDIS_URL"):
        env.cache("http://127.0.0.1:6379")


def test_secret_key_is_generated_once_and_kept_private(tmp_path, monkeypatch):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    first = env.secret_key(tmp_path)
    second = env.secret_key(tmp_path)
    assert first == second
    assert len(first) >= 50
    mode = stat.S_IMODE(os.stat(tmp_path / "secret_key").st_mode)
    assert mode == 0o600


def test_secret_key_from_environment_wins(tmp_path, monkeypatch):
    monkeypatch.setenv("SECRET_KEY", "from-the-environment")
    assert env.secret_key(tmp_path) == "from-the-environment"
    assert not (tmp_path / "secret_key").exists()


@pytest.mark.parametrize(
    ("raw", "expected"), [("1", True), ("yes", True), ("off", False), ("", False)]
)
def test_booleans(monkeypatch, raw, expected):
    monkeypatch.setenv("MASTHEAD_FLAG", raw)
    assert env.env_bool("MASTHEAD_FLAG") is expected


def test_a_bad_boolean_names_the_variable(monkeypatch):
    monkeypatch.setenv("DEBUG", "maybe")
    with pytest.raises(ImproperlyConfigured, match="DEBUG='maybe'"):
        env.env_bool("DEBUG")


def test_a_bad_number_names_the_variable(monkeypatch):
    monkeypatch.setenv("WEB_CONCURRENCY", "lots")
    with pytest.raises(ImproperlyConfigured, match="WEB_CONCURRENCY"):
        env.env_int("WEB_CONCURRENCY", 3)


def test_unwritable_data_folder_is_a_clear_error():
    # /proc refuses new folders even to root, which these tests run as in CI.
    with pytest.raises(ImproperlyConfigured, match="MASTHEAD_DATA_DIR"):
        env.ensure_writable_dir(Path("/proc/masthead-data"), "data")


def test_data_folder_under_a_file_is_a_clear_error(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(ImproperlyConfigured, match="Cannot create the data folder"):
        env.ensure_writable_dir(blocker / "data", "data")
