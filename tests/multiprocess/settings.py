"""Settings for the multi-process tests: `masthead serve`'s production settings, over
plain HTTP on 127.0.0.1, with a short scheduler interval, and every response (the WSGI
fast path's too) saying which worker process answered in ``X-Masthead-Worker``."""

import os

from masthead.settings.production import *  # noqa: F403

SECURE_SSL_REDIRECT = False
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
SECURE_HSTS_SECONDS = 0
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
MASTHEAD_SCHEDULER_INTERVAL = 2
MASTHEAD_LOGIN_FAILURE_LIMIT = 5
# Readers are told apart by the X-Forwarded-For the test sends: its connections come from
# 127.0.0.1, a trusted proxy by default (masthead.core.clients), as a proxy's would.


def _answer_with_worker_id() -> None:
    from masthead.caching import fastpath

    original = fastpath.CachedPageApplication.__call__
    if getattr(original, "_worker_header", False):
        return

    def __call__(self, environ, start_response):
        def tagged(status, headers, exc_info=None):
            return start_response(
                status, [*headers, ("X-Masthead-Worker", str(os.getpid()))], exc_info
            )

        return original(self, environ, tagged)

    __call__._worker_header = True
    fastpath.CachedPageApplication.__call__ = __call__


_answer_with_worker_id()
