"""Settings for `masthead serve`: all configuration from the environment, fail loudly.

A missing SECRET_KEY or ALLOWED_HOSTS stops the server at start instead of running
with a guessable key or accepting any Host header.
"""

import os
from urllib.parse import urlparse

from django.core.exceptions import ImproperlyConfigured

from . import env
from .base import *  # noqa: F403

if not os.environ.get("SECRET_KEY"):
    raise ImproperlyConfigured(
        "SECRET_KEY is not set. Production settings need a secret from the environment: "
        "generate one with `python -c 'import secrets; print(secrets.token_urlsafe(50))'`."
    )
if not os.environ.get("ALLOWED_HOSTS"):
    raise ImproperlyConfigured(
        "ALLOWED_HOSTS is not set. Give the host names this site answers to, "
        "comma-separated, e.g. ALLOWED_HOSTS=news.example.org"
    )

DEBUG = False

# The demo's name never goes out on a real site: without MASTHEAD_SITE_NAME (or the
# data folder's site.env from `masthead init`) pages carry the site's own address.
if not os.environ.get("MASTHEAD_SITE_NAME"):
    WAGTAIL_SITE_NAME = (
        urlparse(WAGTAILADMIN_BASE_URL).hostname or "Masthead"  # noqa: F405
    )

# Bounded database connections (masthead.serving): each worker process pools at most
# MASTHEAD_THREADS connections, one per request thread that `masthead serve` starts.
MASTHEAD_THREADS = env.env_int("MASTHEAD_THREADS", env.DEFAULT_THREADS)
DATABASES["default"] = env.pooled(  # noqa: F405
    DATABASES["default"],  # noqa: F405
    MASTHEAD_THREADS,
    env.env_int("MASTHEAD_DB_WAIT_SECONDS", env.DEFAULT_DB_WAIT_SECONDS),
)
if env.env_bool("MASTHEAD_DB_PGBOUNCER", False):
    # pgbouncer in transaction mode hands each transaction any server connection:
    # a server-side cursor opened in one would be missing in the next.
    DATABASES["default"]["DISABLE_SERVER_SIDE_CURSORS"] = True  # noqa: F405
# The proxy in front says the request came over HTTPS with this header; "off" when
# nothing sits in front (a client could otherwise claim HTTPS itself).
SECURE_PROXY_SSL_HEADER = env.proxy_ssl_header(
    os.environ.get("MASTHEAD_PROXY_SSL_HEADER", "X-Forwarded-Proto=https")
)
SECURE_SSL_REDIRECT = env.env_bool("SECURE_SSL_REDIRECT", True)
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_HSTS_SECONDS = env.env_int("SECURE_HSTS_SECONDS", 31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env.env_bool("SECURE_HSTS_PRELOAD", False)

# Only Wagtail's preview frames the site, and its views allow their own origin.
X_FRAME_OPTIONS = "DENY"
# Sending the HSTS "preload" directive lets anyone submit the domain to browsers' preload
# lists, which would break any HTTP-only subdomain for months: the operator opts in with
# SECURE_HSTS_PRELOAD=on after checking, so its absence is not reported.
if not SECURE_HSTS_PRELOAD:
    SILENCED_SYSTEM_CHECKS = [*globals().get("SILENCED_SYSTEM_CHECKS", []), "security.W021"]
