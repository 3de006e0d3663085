"""Read configuration from the environment with clear errors.

Settings modules import only this helper and the standard library, so that a bad
value is reported by the name of the variable that holds it, before Django starts.
"""

import ipaddress
import json
import os
import secrets
from pathlib import Path
from urllib.parse import urlparse

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

# Request threads per server worker, each with at most one database connection
# (masthead.serving explains the budget).
DEFAULT_THREADS = 4
# Seconds a request waits for a pooled database connection before it is answered 503.
DEFAULT_DB_WAIT_SECONDS = 5

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


def env_networks(name: str, default: str) -> str:
    """Return environment variable ``name``: addresses or networks, comma-separated."""
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    for part in raw.replace(" ", ",").split(","):
        if part:
            try:
                ipaddress.ip_network(part, strict=False)
            except ValueError:
                raise ImproperlyConfigured(
                    f"{name}: {part!r} is not an address or network "
                    "(for example 127.0.0.1,10.0.0.0/8)."
                ) from None
    return raw


def env_list(name: str, default: list[str]) -> list[str]:
    """Return a comma-separated environment variable as a list of stripped items."""
    raw = os.environ.get(name)
    if raw is None:
        return list(default)
    return [item.strip() for item in raw.split(",") if item.strip()]


def data_dir() -> Path:
    """Return the data folder: ``MASTHEAD_DATA_DIR`` or ``./masthead-data``."""
    return Path(os.environ.get("MASTHEAD_DATA_DIR", "masthead-data")).expanduser().resolve()


SITE_FILE = "site.env"


def format_site_file(values: dict[str, str]) -> str:
    """Return ``values`` as the lines of a data folder's ``site.env`` (JSON-quoted values)."""
    header = "# Written by `masthead init`; the environment overrides each line.\n"
    return header + "".join(f"{key}={json.dumps(value)}\n" for key, value in values.items())


def load_site_file(folder: Path) -> None:
    """Take defaults from ``folder/site.env`` (written by `masthead init`).

    A variable already in the environment wins, so a server's configuration always
    decides; a line that does not parse stops start-up naming the file and line.
    """
    path = folder / SITE_FILE
    if not path.is_file():
        return
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        key, sep, raw = line.partition("=")
        try:
            value = json.loads(raw) if sep else None
        except json.JSONDecodeError:
            value = None
        if not key.strip().isidentifier() or not isinstance(value, str):
            raise ImproperlyConfigured(
                f'{path}, line {number}, is not KEY="value": fix it or run `masthead init` again.'
            )
        os.environ.setdefault(key.strip(), value)


def ensure_writable_dir(path: Path, purpose: str) -> Path:
    """Create ``path`` if needed and fail with a clear message if it cannot be written."""
    try:
        # A new data folder is private to this user (masthead.core.file_modes).
        path.mkdir(mode=0o700, parents=True, exist_ok=True)
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


def pooled(config: dict, size: int, wait: int) -> dict:
    """Return PostgreSQL settings that keep at most ``size`` connections in a pool.

    Django's own psycopg pool (Django 5.1+): a request takes a connection when it first
    needs one and returns it when it ends, so the count never exceeds ``size`` per
    process, however many threads the HTTP server starts or retires. A request that
    finds the pool empty waits ``wait`` seconds, then fails with OperationalError, which
    the error view answers with 503 and Retry-After.
    """
    if config["ENGINE"] != "django.db.backends.postgresql":
        return config
    options = dict(config.get("OPTIONS") or {})
    options["pool"] = {
        # Nothing opened before a request needs it; idle connections close after a
        # minute, so a quiet server holds few.
        "min_size": 0,
        "max_size": size,
        "max_idle": 60,
        "timeout": wait,
    }
    # Persistent connections belong to threads; pooled ones to the pool (Django refuses both).
    return {**config, "OPTIONS": options, "CONN_MAX_AGE": 0}


def cache(redis_url: str | None, data_folder: Path | None = None) -> dict:
    """Return cache settings: ``default`` for pages and fragments, ``state`` for what
    every process must agree on (masthead.core.state).

    With ``REDIS_URL`` both are django-redis behind masthead.core.failover, which falls
    back to each worker's memory and to the database while Redis is down. Otherwise pages stay in each worker's
    memory and the shared state goes to diskcache in ``data_folder/state``.
    """
    if not redis_url:
        return {
            "default": {
                "BACKEND": "masthead.caching.backends.FastLocMemCache",
                "LOCATION": "masthead",
                "TIMEOUT": 300,
            },
            "state": {
                "BACKEND": "masthead.core.state.SharedStateCache",
                "LOCATION": str((data_folder or data_dir()) / "state"),
                "TIMEOUT": None,
                # Keys are few (counters, locks, throttles, rankings, vocabularies);
                # the daily upkeep removes expired ones (masthead.operations.upkeep).
                "OPTIONS": {"size_limit": 2**30},
            },
        }
    parsed = urlparse(redis_url)
    if parsed.scheme not in {"redis", "rediss", "unix"}:
        raise ImproperlyConfigured(
            f"REDIS_URL={redis_url!r} is not a Redis URL. Example: redis://127.0.0.1:6379/0"
        )
    prefix = os.environ.get("CACHE_KEY_PREFIX", "masthead")
    redis = {
        "BACKEND": "django_redis.cache.RedisCache",
        "LOCATION": redis_url,
        "OPTIONS": {
            "CLIENT_CLASS": "django_redis.client.DefaultClient",
            # Errors reach masthead.core.failover, which answers from the fallback and
            # logs once per outage (django-redis would log a traceback per call).
            "IGNORE_EXCEPTIONS": False,
            "SOCKET_CONNECT_TIMEOUT": 1,
            "SOCKET_TIMEOUT": 1,
        },
    }
    return {
        # Page copies and fragments: Redis, else each worker's memory, checked against
        # the tag counters in the state store like the embedded default.
        "default": {
            "BACKEND": "masthead.core.failover.FailoverCache",
            "LOCATION": redis_url,
            "TIMEOUT": 300,
            "KEY_PREFIX": prefix,
            "OPTIONS": {
                "PRIMARY": redis,
                "FALLBACK": {
                    "BACKEND": "masthead.caching.backends.FastLocMemCache",
                    "LOCATION": "masthead-fallback",
                    "OPTIONS": {"MAX_ENTRIES": 2000},
                },
            },
        },
        # Counters, locks, throttles, rate limits: Redis, else the site's database.
        "state": {
            "BACKEND": "masthead.core.failover.FailoverCache",
            "LOCATION": redis_url,
            "TIMEOUT": None,
            "KEY_PREFIX": f"{prefix}:state",
            "OPTIONS": {
                "PRIMARY": redis,
                "FALLBACK": {"BACKEND": "masthead.core.failover.DatabaseStateCache"},
                "RECONCILE": True,
            },
        },
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
