"""The site identity and menus editors set in the admin, on every page and to machines."""

import re

import pytest
from django.test import override_settings
from wagtail.models import Site

from masthead.navigation.models import Menus, SiteIdentity
from masthead.pages.models import InformationPage
from masthead.syndication.tests.validators import json_ld, parse_feed

pytestmark = pytest.mark.django_db


def _identity(**fields) -> SiteIdentity:
    identity = SiteIdentity.for_site(Site.objects.get(is_default_site=True))
    for name, value in fields.items():
        setattr(identity, name, value)
    identity.save()
    return identity


def test_without_settings_the_environment_name_is_kept(client, newsroom):
    html = client.get("/").content.decode()
    assert '<p class="site-name"><a href="/">The Meridian Ledger</a>' in html
    assert "Independent journalism. No trackers." in html


def test_identity_shows_in_masthead_footer_feeds_and_json_ld(client, newsroom):
    _identity(
        name="The Valley Courier",
        tagline="News from the upper valley",
        description="A newsroom of six.",
        contact_email="desk@valley.example",
        contact_address="1 Mill Lane\nUpper Valley",
        footer_text="Reader-funded since 2019.",
        social_accounts=[
            ("account", {"network": "Mastodon", "url": "https://social.example/@courier"})
        ],
    )
    html = client.get("/").content.decode()
    assert '<a href="/">The Valley Courier</a>' in html
    assert "News from the upper valley" in html
    assert "Reader-funded since 2019." in html and "1 Mill Lane<br>Upper Valley" in html
    assert 'href="mailto:desk@valley.example"' in html
    assert "The Valley Courier</title>" in html
    website = next(d for d in json_ld(html) if d["@type"] == "WebSite")
    assert website["name"] == website["publisher"]["name"] == "The Valley Courier"
    assert website["publisher"]["sameAs"] == ["https://social.example/@courier"]
    feed = parse_feed(client.get("/feeds/atom/").content)
    assert feed.feed.title == "The Valley Courier"


def test_header_and_footer_menus_replace_the_defaults_and_skip_drafts(client, newsroom):
    about = InformationPage(title="About us", slug="about", kind="about")
    newsroom.home.add_child(instance=about)
    about.save_revision().publish()
    draft = InformationPage(title="Secret plans", slug="plans", kind="other")
    newsroom.home.add_child(instance=draft)
    draft.unpublish()
    menus = Menus.for_site(Site.objects.get(is_default_site=True))
    menus.header = [
        ("link", {"label": "", "page": newsroom.analysis, "url": ""}),
        ("link", {"label": "Podcast", "page": None, "url": "https://pod.example/"}),
    ]
    menus.footer = [
        ("link", {"label": "Who we are", "page": about, "url": ""}),
        ("link", {"label": "", "page": draft, "url": ""}),
    ]
    menus.save()
    html = client.get("/").content.decode()
    nav = html.split('class="site-nav"')[1].split("</nav>")[0]
    assert 'href="/analysis/">Analysis' in nav and 'href="https://pod.example/">Podcast' in nav
    assert 'href="/news/"' not in nav
    footer = html.split('class="site-footer"')[1]
    assert 'href="/about/">Who we are' in footer
    assert "Secret plans" not in html


@override_settings(MASTHEAD_PAGE_CACHE=True)
def test_saving_the_identity_refreshes_cached_pages(client, newsroom):
    story = newsroom.stories[0]
    client.get(story.url)
    assert client.get(story.url)["X-Cache"] == "HIT"
    _identity(name="The Valley Courier")
    assert b"The Valley Courier" in client.get(story.url).content
    # A page published under the home page reaches the cached footer too.
    page = InformationPage(title="Ownership and funding", slug="ownership", kind="ownership")
    newsroom.home.add_child(instance=page)
    page.save_revision().publish()
    assert b'href="/ownership/"' in client.get(story.url).content


def test_a_favicon_set_in_the_identity_replaces_masthead_s_own(client, newsroom):
    from masthead.images.factories import MastheadImageFactory, make_jpeg

    html = client.get("/").content.decode()
    assert "favicon.svg" in html and "apple-touch-icon" not in html
    _identity(favicon=MastheadImageFactory(title="Our icon", file=make_jpeg(400, 300)))
    html = client.get("/").content.decode()
    assert "favicon.svg" not in html
    icon = re.search(r'<link rel="icon" href="([^"]+)" type="image/png" sizes="32x32">', html)
    touch = re.search(r'<link rel="apple-touch-icon" href="([^"]+)">', html)
    assert icon and touch, html.split("</head>")[0]
    # Both are square PNG renditions, served from the media folder.
    from PIL import Image

    from masthead.images.models import MastheadRendition

    sizes = {
        rendition.url: Image.open(rendition.file.path)
        for rendition in MastheadRendition.objects.filter(image__title="Our icon")
    }
    assert (sizes[icon.group(1)].format, sizes[icon.group(1)].size) == ("PNG", (32, 32))
    assert (sizes[touch.group(1)].format, sizes[touch.group(1)].size) == ("PNG", (180, 180))
