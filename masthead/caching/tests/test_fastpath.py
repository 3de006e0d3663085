"""The WSGI fast path answers fresh cached pages exactly as Django would, and nothing else."""

import io
import sys

import pytest
from django.core import signals
from django.core.handlers.wsgi import WSGIHandler
from django.db import close_old_connections

from masthead.caching import tags
from masthead.caching.fastpath import CachedPageApplication

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def page_cache_on(settings):
    settings.MASTHEAD_PAGE_CACHE = True


@pytest.fixture(autouse=True)
def keep_test_connection():
    # As Django's test client does: the test's transaction must survive each request.
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


class CountingApp:
    def __init__(self):
        self.django = WSGIHandler()
        self.calls = 0

    def __call__(self, environ, start_response):
        self.calls += 1
        return self.django(environ, start_response)


def call(app, path: str, **extra) -> tuple[str, dict, bytes]:
    environ = {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": path,
        "QUERY_STRING": "",
        "SERVER_NAME": "testserver",
        "SERVER_PORT": "80",
        "HTTP_HOST": "testserver",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(b""),
        "wsgi.errors": sys.stderr,
        **extra,
    }
    answer = {}

    def start_response(status, headers, exc_info=None):
        answer["status"], answer["headers"] = status, dict(headers)

    chunks = app(environ, start_response)
    body = b"".join(chunks)
    if hasattr(chunks, "close"):
        chunks.close()
    return answer["status"], answer["headers"], body


def test_a_fresh_copy_is_answered_without_django_and_exactly_as_django_would(newsroom):
    inner = CountingApp()
    app = CachedPageApplication(inner)
    story = newsroom.stories[0]
    _, first, body = call(app, story.url)
    assert first["X-Cache"] == "MISS" and inner.calls == 1
    status, fast, fast_body = call(app, story.url)
    assert inner.calls == 1  # Django was not asked
    assert status.startswith("200") and fast_body == body
    _, slow, _ = call(inner, story.url)  # the same hit through Django
    assert fast == slow


def test_a_changed_story_goes_back_to_django(newsroom):
    inner = CountingApp()
    app = CachedPageApplication(inner)
    story = newsroom.stories[0]
    call(app, story.url)
    tags.invalidate([tags.page(story.pk)], hard=True)
    _, headers, _ = call(app, story.url)
    assert inner.calls == 2 and headers["X-Cache"] == "MISS"


@pytest.mark.parametrize(
    "extra",
    [
        {"HTTP_COOKIE": "sessionid=abc"},
        {"QUERY_STRING": "utm_source=x"},
        {"HTTP_AUTHORIZATION": "Basic eDp5"},
        {"REQUEST_METHOD": "HEAD"},
    ],
    ids=["session", "query", "authorization", "head"],
)
def test_editors_queries_and_other_methods_always_reach_django(newsroom, extra):
    inner = CountingApp()
    app = CachedPageApplication(inner)
    story = newsroom.stories[0]
    call(app, story.url)
    call(app, story.url, **extra)
    assert inner.calls == 2


def test_a_matching_etag_still_gets_django_s_304(newsroom):
    app = CachedPageApplication(CountingApp())
    story = newsroom.stories[0]
    _, headers, _ = call(app, story.url)
    status, _, body = call(app, story.url, HTTP_IF_NONE_MATCH=headers["ETag"])
    assert status.startswith("304") and body == b""


def test_an_unknown_host_is_never_answered(newsroom, settings):
    settings.ALLOWED_HOSTS = ["testserver"]
    inner = CountingApp()
    app = CachedPageApplication(inner)
    story = newsroom.stories[0]
    call(app, story.url)
    status, _, _ = call(app, story.url, HTTP_HOST="evil.example")
    assert status.startswith("400") and inner.calls == 2


def test_plain_http_is_still_redirected_after_an_https_hit(newsroom, settings):
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_HSTS_SECONDS = 3600
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    app = CachedPageApplication(CountingApp())
    story = newsroom.stories[0]
    call(app, story.url, HTTP_X_FORWARDED_PROTO="https")
    _, headers, _ = call(app, story.url, HTTP_X_FORWARDED_PROTO="https")
    assert headers["X-Cache"] == "HIT" and "Strict-Transport-Security" in headers
    status, headers, _ = call(app, story.url, HTTP_X_FORWARDED_PROTO="http")
    assert status.startswith("301") and headers["Location"].startswith("https://")


def test_a_kept_answer_is_served_without_reading_the_copy_until_anything_changes(
    newsroom, monkeypatch
):
    from django.core.cache import cache

    inner = CountingApp()
    app = CachedPageApplication(inner)
    story = newsroom.stories[0]
    _, _, body = call(app, story.url)  # MISS: rendered and stored
    _, first_hit, _ = call(app, story.url)  # HIT: read, checked, answer kept
    from masthead.core import state

    reads, counter_reads = [], []
    real_get, store = cache.get, state.store()
    real_store_get = store.get
    monkeypatch.setattr(
        cache, "get", lambda key, *a, **k: reads.append(key) or real_get(key, *a, **k)
    )
    monkeypatch.setattr(
        store,
        "get",
        lambda key, *a, **k: counter_reads.append(key) or real_store_get(key, *a, **k),
    )
    _, kept, kept_body = call(app, story.url)
    assert inner.calls == 1 and kept == first_hit and kept_body == body
    assert reads == []  # the page copy was not read again
    # The epoch: one stat of the change beacon on the embedded default, one read on Redis.
    assert counter_reads == ([] if state.is_embedded() else [tags.EPOCH_KEY])

    # Any invalidation moves the epoch: the next hit reads and checks the copy again.
    tags.invalidate([tags.topic(10**9)])  # a tag this page does not carry
    _, again, _ = call(app, story.url)
    assert again["X-Cache"] == "HIT" and inner.calls == 1
    assert len([key for key in reads if key != tags.EPOCH_KEY]) >= 1  # the copy was read
    # An invalidation of this story withdraws the kept answer at once.
    tags.invalidate([tags.page(story.pk)], hard=True)
    _, after, _ = call(app, story.url)
    assert after["X-Cache"] == "MISS" and inner.calls == 2


def test_a_kept_answer_is_not_served_past_its_freshness(newsroom, monkeypatch):
    import time as real_time

    inner = CountingApp()
    app = CachedPageApplication(inner)
    story = newsroom.stories[0]
    call(app, story.url)
    call(app, story.url)  # kept
    later = real_time.time() + 3600
    monkeypatch.setattr("masthead.caching.fastpath.time.time", lambda: later)
    monkeypatch.setattr("masthead.caching.middleware.time.time", lambda: later)
    _, headers, _ = call(app, story.url)
    assert headers["X-Cache"] != "HIT" and inner.calls == 2
