"""Readers whose browsers accept gzip get compressed pages; pictures and others do not."""

import gzip

import pytest

from masthead.caching.compression import accepts_gzip
from masthead.caching.fastpath import CachedPageApplication

# keep_test_connection (autouse): the test's transaction must survive each WSGI request.
from .test_fastpath import CountingApp, call, keep_test_connection  # noqa: F401

pytestmark = pytest.mark.django_db

GZIP = {"HTTP_ACCEPT_ENCODING": "gzip, deflate, br"}


@pytest.fixture(autouse=True)
def page_cache_on(settings):
    settings.MASTHEAD_PAGE_CACHE = True


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("gzip, deflate, br", True),
        ("br;q=1.0, gzip;q=0.8", True),
        ("GZIP", True),
        ("gzip;q=0", False),
        ("gzip;q=0.000", False),
        ("*", True),
        ("*;q=0", False),
        ("gzip;q=0, *", False),
        ("identity", False),
        ("deflate, br", False),
        ("", False),
        ("gzipx", False),
        ("gzip;q=nonsense", False),
    ],
)
def test_accept_encoding_is_read_with_its_quality_values(header, expected):
    assert accepts_gzip(header) is expected


def test_a_cached_story_is_sent_compressed_only_to_browsers_that_accept_it(client, newsroom):
    story = newsroom.stories[0]
    plain = client.get(story.url)
    assert plain["X-Cache"] == "MISS" and not plain.has_header("Content-Encoding")
    for outcome in ("HIT", "HIT"):
        packed = client.get(story.url, **GZIP)
        assert packed["X-Cache"] == outcome
        assert packed["Content-Encoding"] == "gzip"
        assert gzip.decompress(packed.content) == plain.content
        assert int(packed["Content-Length"]) == len(packed.content) < len(plain.content) / 2
    # Each variant has its own validator, and both tell proxies they vary.
    assert packed["ETag"] != plain["ETag"]
    for response in (plain, packed):
        assert "Accept-Encoding" in response["Vary"] and "Cookie" in response["Vary"]
    assert client.get(story.url, HTTP_IF_NONE_MATCH=packed["ETag"], **GZIP).status_code == 304
    refused = client.get(story.url, HTTP_ACCEPT_ENCODING="gzip;q=0")
    assert not refused.has_header("Content-Encoding") and refused.content == plain.content
    # The plain copy's ETag does not validate the compressed one.
    assert client.get(story.url, HTTP_IF_NONE_MATCH=plain["ETag"], **GZIP).status_code == 200


def test_the_fast_path_keeps_the_two_variants_apart(newsroom):
    inner = CountingApp()
    app = CachedPageApplication(inner)
    story = newsroom.stories[0]
    _, plain_headers, plain = call(app, story.url)
    _, packed_headers, packed = call(app, story.url, **GZIP)
    assert inner.calls == 2  # each variant learnt once through Django
    _, fast_packed_headers, fast_packed = call(app, story.url, **GZIP)
    _, fast_plain_headers, fast_plain = call(app, story.url)
    assert inner.calls == 2
    assert fast_packed == packed and gzip.decompress(fast_packed) == plain == fast_plain
    assert fast_packed_headers["Content-Encoding"] == "gzip"
    assert "Content-Encoding" not in fast_plain_headers
    _, slow_packed_headers, _ = call(inner, story.url, **GZIP)
    assert fast_packed_headers == slow_packed_headers


def test_pages_the_cache_does_not_keep_are_compressed_too(client, newsroom):
    response = client.get("/search/", {"q": "ferry"}, **GZIP)
    assert response.status_code == 200
    assert response["Content-Encoding"] == "gzip"
    assert b"<html" in gzip.decompress(response.content)


def test_pictures_are_not_compressed_again(client, newsroom, settings):
    image = newsroom.stories[0].lead_image
    assert image is not None
    response = client.get(image.file.url, **GZIP)
    assert response.status_code == 200
    assert not response.has_header("Content-Encoding")
