"""Settings for the test suite: fast hashing, plain static files, local-memory cache.

`MASTHEAD_TEST_DATABASE_URL` and `MASTHEAD_TEST_REDIS_URL` switch the suite onto
PostgreSQL and Redis (the CI's second run); the default is SQLite and local memory.
"""

import hashlib
import os
import tempfile
from pathlib import Path

# pytest-xdist runs the suite in several processes (gw0, gw1, ...): each gets its own
# data folder and, on Redis, its own database number, because the tests empty the
# cache between tests (django-redis empties the whole database).
# Several checkouts on one machine (worktrees, CI beside a session) get folders of
# their own too: the name carries a digest of this checkout's path.
WORKER = os.environ.get("PYTEST_XDIST_WORKER", "")
_CHECKOUT = hashlib.sha256(str(Path(__file__).resolve().parents[2]).encode()).hexdigest()[:8]
# The folder is chosen here unless the person running the tests chose one; an xdist
# worker inherits the controller's environment, so a folder chosen here for the
# controller is chosen again for the worker (otherwise every worker shared one folder,
# and with it the shared-state store the tests empty between tests).
if not os.environ.get("MASTHEAD_DATA_DIR") or os.environ.get("MASTHEAD_TEST_DATA_DIR_CHOSEN"):
    os.environ["MASTHEAD_DATA_DIR"] = str(
        Path(tempfile.gettempdir())
        / (f"masthead-test-data-{_CHECKOUT}" + (f"-{WORKER}" if WORKER else ""))
    )
    os.environ["MASTHEAD_TEST_DATA_DIR_CHOSEN"] = "1"
if os.environ.get("MASTHEAD_TEST_DATABASE_URL"):
    os.environ["DATABASE_URL"] = os.environ["MASTHEAD_TEST_DATABASE_URL"]
else:
    os.environ.pop("DATABASE_URL", None)
if os.environ.get("MASTHEAD_TEST_REDIS_URL"):
    if WORKER.startswith("gw") and not os.environ.get("MASTHEAD_TEST_REDIS_WORKER_DB"):
        base, _, number = os.environ["MASTHEAD_TEST_REDIS_URL"].rstrip("/").rpartition("/")
        number = (int(number) if number.isdigit() else 0) + int(WORKER[2:] or 0)
        os.environ["MASTHEAD_TEST_REDIS_URL"] = f"{base}/{number % 16}"
        os.environ["MASTHEAD_TEST_REDIS_WORKER_DB"] = "1"
    os.environ["REDIS_URL"] = os.environ["MASTHEAD_TEST_REDIS_URL"]
else:
    os.environ.pop("REDIS_URL", None)

from .base import *  # noqa: E402, F403

DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES["staticfiles"] = {  # noqa: F405
    "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
}
MEDIA_ROOT = Path(tempfile.mkdtemp(prefix="masthead-test-media-"))
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # noqa: F405
ALLOWED_HOSTS = ["*"]
# Tests change settings and rows directly between requests, which a cache would hide;
# the caching tests turn the page cache on for themselves.
MASTHEAD_PAGE_CACHE = False
WAGTAILADMIN_BASE_URL = "http://testserver"
# The Site the tests build decides the address (masthead.core.site_address).
MASTHEAD_BASE_URL = None

# Concurrent runs on one machine (several checkouts, CI) must not share a test
# database or cache keys.
if DATABASES["default"]["ENGINE"] != "django.db.backends.sqlite3":  # noqa: F405
    DATABASES["default"]["TEST"] = {"NAME": f"test_masthead_{os.getpid()}"}  # noqa: F405
if REDIS_URL:  # noqa: F405
    # Inherited by processes a test starts, so they share this run's keys.
    _PREFIX = os.environ.setdefault("MASTHEAD_TEST_CACHE_PREFIX", f"masthead-test-{os.getpid()}")
    CACHES["default"]["KEY_PREFIX"] = _PREFIX  # noqa: F405
    CACHES["state"]["KEY_PREFIX"] = f"{_PREFIX}:state"  # noqa: F405
