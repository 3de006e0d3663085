"""Read configuration from the environment with clear errors.

Settings modules import only this helper and the standard library, so that a bad
value is reported by the name of the variable that holds it, before Django starts.
"""

import os
import secrets
from pathlib import Path
from urllib.parse import urlparse

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

TRUE_WORDS = {"1", "true", "yes", "on"}
FALSE_WORDS = {"0", "false", "no", "off", ""}


def env_bool(name: str, default: bool = False) -> bool:
    """Return the boolean value of environment variable ``name``."""
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in TRUE_WORDS:
        return True
    if value in FALSE_WORDS:
        return False
    raise ImproperlyConfigured(
        f"{name}={raw!r} is not a boolean: use one of 1/0, true/false, yes/no, on/off."
    )


def env_int(name: str, default: int) -> int:
    """Return the integer value of environment variable ``name``."""
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name}={raw!r} is not a whole number.") from None


def env_list(name: str, default: list[str]) -> list[str]:
    """Return a comma-separated environment variable as a list of stripped items."""
    raw = os.environ.get(name)
    if raw is None:
        return list(default)
    return [item.strip() for item in raw.split(",") if item.strip()]


def data_dir() -> Path:
    """Return the data folder: ``MASTHEAD_DATA_DIR`` or ``./masthead-data``."""
    return Path(os.environ.get("MASTHEAD_DATA_DIR", "masthead-data")).expanduser().resolve()


def ensure_writable_dir(path: Path, purpose: str) -> Path:
    """Create ``path`` if needed and fail with a clear message if it cannot be written."""
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ImproperlyConfigured(
            f"Cannot create the {purpose} folder {path}: {exc.strerror}. "
            "Set MASTHEAD_DATA_DIR (or --data) to a folder you can write to."
        ) from None
    if not os.access(path, os.W_OK | os.X_OK):
        raise ImproperlyConfigured(
            f"The {purpose} folder {path} is not writable. "
            "Set MASTHEAD_DATA_DIR (or --data) to a folder you can write to."
        )
    return path


def secret_key(folder: Path) -> str:
    """Return ``SECRET_KEY`` from the environment, else one generated once and kept in ``folder``.

    The key file is created with mode 0600 so that other local users cannot read it.
    """
    from_env = os.environ.get("SECRET_KEY")
    if from_env:
        return from_env
    key_file = folder / "secret_key"
    if key_file.exists():
        return key_file.read_text().strip()
    ensure_writable_dir(folder, "data")
    key = secrets.token_urlsafe(50)
    fd = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(key)
    return key


def database(default_sqlite: Path) -> dict:
    """Return the default database settings from ``DATABASE_URL`` or an SQLite file."""
    url = os.environ.get("DATABASE_URL", "").strip()
    if not url:
        config = dj_database_url.parse(f"sqlite:///{default_sqlite}")
    else:
        try:
            config = dj_database_url.parse(url, conn_max_age=600, conn_health_checks=True)
        except Exception as exc:  # dj-database-url raises several types for bad URLs
            raise ImproperlyConfigured(
                f"DATABASE_URL is not a valid database URL ({exc}). "
                "Example: postgres://user:password@127.0.0.1:5432/masthead"
            ) from None
        if not config.get("ENGINE"):
            raise ImproperlyConfigured(
                "DATABASE_URL names no supported database. "
                "Example: postgres://user:password@127.0.0.1:5432/masthead"
            )
    if config["ENGINE"] == "django.db.backends.sqlite3":
        # WAL lets readers carry on while one writer commits; IMMEDIATE transactions
        # take the write lock up front so two writers wait instead of failing mid-way.
        config["OPTIONS"] = {
            "init_command": (
                "PRAGMA journal_mode=WAL;PRAGMA synchronous=NORMAL;PRAGMA busy_timeout=20000;"
            ),
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
        }
        config["CONN_MAX_AGE"] = 0
    return config


def cache(redis_url: str | None) -> dict:
    """Return cache settings: django-redis for ``REDIS_URL``, else local memory."""
    if not redis_url:
        return {
            "default": {
                "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
                "LOCATION": "masthead",
                "TIMEOUT": 300,
            }
        }
    parsed = urlparse(redis_url)
    if parsed.scheme not in {"redis", "rediss", "unix"}:
        raise ImproperlyConfigured(
            f"REDIS_URL={redis_url!r} is not a Redis URL. Example: redis://127.0.0.1:6379/0"
        )
    return {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": redis_url,
            "TIMEOUT": 300,
            "KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", "masthead"),
            "OPTIONS": {
                "CLIENT_CLASS": "django_redis.client.DefaultClient",
                # A Redis outage degrades to uncached serving instead of an error page.
                "IGNORE_EXCEPTIONS": True,
                "SOCKET_CONNECT_TIMEOUT": 2,
                "SOCKET_TIMEOUT": 2,
            },
        }
    }


def proxy_ssl_header(value: str) -> tuple[str, str] | None:
    """Return Django's SECURE_PROXY_SSL_HEADER from ``Header-Name=value`` ("off": None)."""
    value = value.strip()
    if value.lower() in ("", "off", "0", "false", "no", "none"):
        return None
    name, sep, expected = value.partition("=")
    if not sep or not name.strip() or not expected.strip():
        raise ImproperlyConfigured(
            "MASTHEAD_PROXY_SSL_HEADER must look like 'X-Forwarded-Proto=https', or be 'off'."
        )
    return ("HTTP_" + name.strip().upper().replace("-", "_"), expected.strip())
