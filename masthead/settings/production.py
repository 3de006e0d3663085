"""Settings for `masthead serve`: all configuration from the environment, fail loudly.

A missing SECRET_KEY or ALLOWED_HOSTS stops the server at start instead of running
with a guessable key or accepting any Host header.
"""

import os

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
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.env_bool("SECURE_SSL_REDIRECT", True)
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_HSTS_SECONDS = env.env_int("SECURE_HSTS_SECONDS", 31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env.env_bool("SECURE_HSTS_PRELOAD", False)
