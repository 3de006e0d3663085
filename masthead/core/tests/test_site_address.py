"""One site address for every absolute link, whatever Host a request arrives with."""

import re

import pytest
from django.test import override_settings
from wagtail.models import Site

from masthead.core import site_address
from masthead.core.site_address import InvalidAddress, absolute, base_url, normalise
from masthead.syndication.tests.validators import json_ld, locations, parse_sitemap

pytestmark = pytest.mark.django_db

PUBLIC = "https://news.example.org"
ABSOLUTE = re.compile(rb"""(?:href|content|src)=["'](https?://[^/"']+)""")


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("https://news.example.org/", "https://news.example.org"),
        ("https://news.example.org:443", "https://news.example.org"),
        ("http://news.example.org:8080", "http://news.example.org:8080"),
        ("  HTTPS://News.Example.org ", "https://news.example.org"),
        ("http://[::1]:8000", "http://[::1]:8000"),
    ],
)
def test_addresses_are_normalised(given, expected):
    assert normalise(given) == expected


@pytest.mark.parametrize(
    "bad",
    [
        "",
        "news.example.org",
        "ftp://news.example.org",
        "https://",
        "https://x.org/news",
        "https://x.org/?a=1",
        "https://user:pw@x.org",
        "http://x.org:99999",
    ],
)
def test_bad_addresses_are_refused_with_a_reason(bad):
    with pytest.raises(InvalidAddress):
        normalise(bad)


def test_the_default_site_gives_the_address_until_the_environment_sets_one(newsroom):
    assert base_url() == "http://testserver"
    site = Site.objects.get(is_default_site=True)
    site.hostname, site.port = "ledger.example", 443
    site.save()
    # Saving a site bumps the counter: no stale address.
    assert base_url() == "https://ledger.example"
    with override_settings(MASTHEAD_BASE_URL="http://news.example.org:8080/"):
        assert absolute("/news/") == "http://news.example.org:8080/news/"
    assert absolute("https://cdn.example/x.jpg") == "https://cdn.example/x.jpg"
    assert absolute("about/") == "https://ledger.example/about/"


def test_local_addresses_are_recognised():
    assert site_address.is_local("http://localhost:8000")
    assert site_address.is_local("http://127.0.0.1")
    assert site_address.is_local("http://[::1]:8000")
    assert not site_address.is_local(PUBLIC)


@override_settings(MASTHEAD_BASE_URL=PUBLIC)
def test_every_surface_links_to_the_configured_address_not_the_request_host(client, newsroom):
    """A request through a proxy (Host 127.0.0.1:8000) still says https://news.example.org."""
    story = newsroom.stories[0]
    host = {"HTTP_HOST": "127.0.0.1:8000"}
    pages = [story.url, "/", newsroom.news.url, "/topics/marevia/", "/authors/mira-castellan/"]
    for path in pages:
        html = client.get(path, **host).content
        hosts = {m.decode() for m in ABSOLUTE.findall(html)}
        assert hosts <= {PUBLIC, "https://schema.org"}, (path, hosts)
        assert f'<link rel="canonical" href="{PUBLIC}/'.encode() in html, path
    article = next(
        d for d in json_ld(client.get(story.url, **host).content) if d["@type"] == "NewsArticle"
    )
    assert article["url"] == article["mainEntityOfPage"]["@id"] == PUBLIC + story.url
    assert article["publisher"]["url"] == PUBLIC + "/"

    feed = client.get("/feeds/rss/", **host).content
    assert b"127.0.0.1" not in feed and f"<link>{PUBLIC}/</link>".encode() in feed
    assert f"<link>{PUBLIC}{story.url}</link>".encode() in feed
    json_feed = client.get("/feeds/json/", **host).json()
    assert json_feed["home_page_url"] == PUBLIC + "/"

    index = parse_sitemap(client.get("/sitemap.xml", **host).content, "siteindex.xsd")
    assert locations(index) and all(loc.startswith(PUBLIC + "/") for loc in locations(index))
    stories = parse_sitemap(client.get("/sitemap-stories.xml", **host).content)
    assert PUBLIC + story.url in locations(stories)
    robots = client.get("/robots.txt", **host).content.decode()
    assert f"Sitemap: {PUBLIC}/sitemap.xml" in robots
