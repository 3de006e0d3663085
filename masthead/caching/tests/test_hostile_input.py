"""Bad input cannot poison the page cache, and a cache outage never shows an error page.

Each poisoning test sends the hostile request first, while the cache is empty, then
checks what an ordinary reader gets afterwards.
"""

import gzip
import logging

import pytest

from masthead.caching import middleware

pytestmark = pytest.mark.django_db

DOWN_CACHE = {
    "default": {
        "BACKEND": "django_redis.cache.RedisCache",
        "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens on port 1
        "OPTIONS": {
            "IGNORE_EXCEPTIONS": True,
            "SOCKET_CONNECT_TIMEOUT": 0.2,
            "SOCKET_TIMEOUT": 0.2,
        },
    }
}


@pytest.fixture(autouse=True)
def page_cache_on(settings):
    settings.MASTHEAD_PAGE_CACHE = True


def _reader(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return response, response.content.decode()


def test_script_in_a_tracking_parameter_never_reaches_another_reader(client, newsroom):
    story = newsroom.stories[0]
    hostile = client.get(story.url + "?utm_source=%3Cscript%3Ealert(1)%3C/script%3E")
    assert hostile.status_code == 200 and "X-Cache" not in hostile
    response, html = _reader(client, story.url)
    assert response["X-Cache"] == "MISS"  # the hostile request stored nothing
    assert "alert(1)" not in html and "utm_source" not in html


def test_made_up_page_numbers_bypass_the_cache(client, newsroom):
    for value in ["<script>", "0", "-1", "1e9", "9999999", "2 ", "%00"]:
        response = client.get("/news/", {"page": value})
        assert response.status_code == 200, value
        assert "X-Cache" not in response, value
        assert "<script>" not in response.content.decode()


def test_real_page_numbers_are_cached(client, newsroom):
    assert client.get("/news/?page=1")["X-Cache"] == "MISS"
    assert client.get("/news/?page=1")["X-Cache"] == "HIT"


def test_a_foreign_host_header_gets_its_own_copy_never_the_readers(client, newsroom, settings):
    settings.ALLOWED_HOSTS = ["*"]  # the weakest setting: any Host is accepted
    story = newsroom.stories[0]
    evil = client.get(story.url, HTTP_HOST="evil.example")
    # Absolute links name the site's address (core.site_address), never the Host...
    assert "evil.example" not in evil.content.decode()
    response, html = _reader(client, story.url)
    assert response["X-Cache"] == "MISS"  # ...and that copy is keyed to that Host only
    assert "evil.example" not in html


def test_forwarded_headers_do_not_change_what_readers_get(client, newsroom, settings):
    settings.USE_X_FORWARDED_HOST = False
    story = newsroom.stories[0]
    client.get(
        story.url,
        HTTP_X_FORWARDED_HOST="evil.example",
        HTTP_X_FORWARDED_FOR="198.51.100.7",
        HTTP_X_FORWARDED_PROTO="https",
    )
    response, html = _reader(client, story.url)
    assert response["X-Cache"] == "HIT"  # the same page: those headers were ignored
    assert "evil.example" not in html


def test_an_https_copy_is_never_served_over_http(client, newsroom, settings):
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    story = newsroom.stories[0]
    secure = client.get(story.url, HTTP_X_FORWARDED_PROTO="https")
    assert secure.status_code == 200
    response, html = _reader(client, story.url)
    assert response["X-Cache"] == "MISS"
    assert "https://testserver" not in html and "http://testserver/" in html


def test_accept_encoding_cannot_leave_a_compressed_copy_for_others(client, newsroom):
    story = newsroom.stories[0]
    client.get(story.url, HTTP_ACCEPT_ENCODING="gzip, br, evil")
    response, html = _reader(client, story.url)
    assert "Content-Encoding" not in response
    assert html.lstrip().startswith("<!DOCTYPE html>")
    with pytest.raises(gzip.BadGzipFile):
        gzip.decompress(response.content)


def test_cookies_never_personalise_a_shared_copy(client, newsroom):
    story = newsroom.stories[0]
    client.cookies["theme"] = "<b>dark</b>"
    first = client.get(story.url)
    assert first["X-Cache"] == "MISS" and "Cookie" in first["Vary"]
    client.cookies["sessionid"] = "forged-session"
    forged = client.get(story.url)  # an editor-like cookie bypasses the cache
    assert forged.status_code == 200 and "X-Cache" not in forged
    client.cookies.clear()
    response, html = _reader(client, story.url)
    assert response["X-Cache"] == "HIT" and "dark" not in html
    assert not response.cookies


def test_cache_outage_serves_every_page_uncached_with_a_warning(client, newsroom, settings, caplog):
    settings.CACHES = {**settings.CACHES, **DOWN_CACHE}  # the page cache is down
    urls = ["/", "/news/", newsroom.stories[0].url, "/topics/energy/", "/feeds/rss/"]
    with caplog.at_level(logging.WARNING, logger="masthead.caching"):
        for url in urls:
            response = client.get(url)
            assert response.status_code == 200, url
            assert "X-Cache" not in response, url
    warnings = [r for r in caplog.records if r.name == "masthead.caching"]
    assert warnings and all(r.levelno == logging.WARNING for r in warnings)
    assert "uncached" in warnings[0].getMessage()


def test_publishing_during_a_cache_outage_succeeds(client, newsroom, settings):
    settings.CACHES = {**settings.CACHES, **DOWN_CACHE}  # the page cache is down
    story = newsroom.publish(revision=True, days_ago=0, slug="outage", title="Quay reopens at last")
    assert story.live
    assert "Quay reopens at last" in client.get("/").content.decode()


def test_page_number_pattern_accepts_only_plain_numbers():
    assert middleware.PAGE_NUMBER.fullmatch("12")
    assert not middleware.PAGE_NUMBER.fullmatch("012")
