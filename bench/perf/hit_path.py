"""Time of one cached hit in-process: through Django's request handling, through the
WSGI fast path (masthead/caching/fastpath.py) and from a bare WSGI app returning the
same bytes (the floor), alternated, same page, same cache.

    MASTHEAD_DATA_DIR=<a data folder with the demo> .venv/bin/python bench/perf/hit_path.py

It also checks that both answers carry the same status, headers and body.
"""

import io
import os
import statistics
import sys
import time

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "masthead.settings.production")
os.environ.setdefault("SECRET_KEY", "bench-" + "x" * 50)
os.environ.setdefault("ALLOWED_HOSTS", "127.0.0.1")
os.environ.setdefault("SECURE_SSL_REDIRECT", "0")

from django.core.wsgi import get_wsgi_application

from masthead.wsgi import application as fast

slow = get_wsgi_application()

from masthead.articles.models import ArticlePage  # noqa: E402


def call(app, path: str) -> tuple[str, list, bytes]:
    environ = {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": path,
        "QUERY_STRING": "",
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "80",
        "HTTP_HOST": "127.0.0.1",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(b""),
        "wsgi.errors": sys.stderr,
    }
    answer = []
    chunks = app(environ, lambda status, headers, exc_info=None: answer.append((status, headers)))
    body = b"".join(chunks)
    if hasattr(chunks, "close"):
        chunks.close()
    return answer[0][0], sorted(answer[0][1]), body


def main(rounds: int = 4, calls: int = 2000) -> None:
    path = ArticlePage.objects.live().order_by("-first_published_at").first().url
    for app in (slow, fast, fast):  # fill the cache, then let the fast path learn the page
        call(app, path)
    if call(slow, path) != call(fast, path):
        raise SystemExit("The fast path answered differently from Django.")
    _, headers, body = call(fast, path)

    def floor(environ, start_response):
        # The Python floor: the same bytes and headers from a bare WSGI app.
        start_response("200 OK", headers)
        return [body]

    times = {"django": [], "fast path": [], "floor": []}
    for _ in range(rounds):
        for name, app in (("django", slow), ("fast path", fast), ("floor", floor)):
            started = time.perf_counter()
            for _ in range(calls):
                call(app, path)
            times[name].append((time.perf_counter() - started) / calls * 1e6)
    for name, values in times.items():
        print(f"{name:<10} median {statistics.median(values):7.1f} µs per hit")
    print(
        f"ratio      {statistics.median(times['django']) / statistics.median(times['fast path']):.1f}x"
        " (django / fast path)"
    )


if __name__ == "__main__":
    main()
