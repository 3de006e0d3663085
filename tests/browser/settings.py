"""Settings of the site the browser tests drive: the test settings on a SQLite file.

The server runs in its own process (see ``server.py``), so it needs a database file of
its own and a media folder that outlives a single request. The full-page cache is on,
as on a real site, so the journeys also prove that publishing and unpublishing purge it.
"""

import os
from pathlib import Path

from masthead.settings.test import *  # noqa: F403

_DATA = Path(os.environ["MASTHEAD_BROWSER_DATA"])

DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": str(_DATA / "site.sqlite3"),
        # Two editors' requests and the reader's can overlap; wait instead of failing.
        "OPTIONS": {"timeout": 20},
    }
}
# Pages in the server's memory; the shared state (masthead.core.state) in the site's
# own folder, so it is not another test run's.
CACHES = {
    **CACHES,  # noqa: F405
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
}
if "redis" not in CACHES["state"]["BACKEND"].lower():
    CACHES["state"] = {**CACHES["state"], "LOCATION": str(_DATA / "state")}
MEDIA_ROOT = _DATA / "media"
MASTHEAD_PAGE_CACHE = True
WAGTAILADMIN_BASE_URL = os.environ.get("MASTHEAD_BROWSER_BASE_URL", "http://127.0.0.1")
# Absolute links (canonical, JSON-LD, feeds) name the server the browser talks to.
MASTHEAD_BASE_URL = WAGTAILADMIN_BASE_URL
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"stderr": {"class": "logging.StreamHandler"}},
    # One line per request would drown the log the fixture keeps for failures.
    "loggers": {"django.server": {"handlers": [], "level": "ERROR", "propagate": False}},
    "root": {"handlers": ["stderr"], "level": "WARNING"},
}
# Full-text feeds carry the story body, so the feeds the browser loads show every block.
MASTHEAD_FEED_FULL_TEXT = True
# Live pages poll for new entries every 2 s instead of 15, so the tests wait less.
MASTHEAD_LIVE_POLL_SECONDS = 2
