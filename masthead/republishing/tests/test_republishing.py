"""Republish this story: the licence, the button, the HTML a partner copies, the
counting pixel and the admin's view of where copies were read."""

import re
from html import unescape

import pytest
from django.contrib.auth import get_user_model
from wagtail.models import Site

from masthead.articles.factories import body_from_paragraphs
from masthead.articles.models import Correction, LicenceSettings
from masthead.images.factories import MastheadImageFactory
from masthead.republishing import copy
from masthead.republishing.models import Republication

pytestmark = pytest.mark.django_db

READER = "Mozilla/5.0 (X11; Linux x86_64) Firefox/130.0"
PARTNER = "https://coastal-herald.example/news/2026/border-talks/"


@pytest.fixture
def licensed(newsroom):
    own = MastheadImageFactory(caption="Our own photo", credit="Meridian staff", republishable=True)
    agency = MastheadImageFactory(caption="Agency photo", credit="Wire Agency", republishable=False)
    story = newsroom.publish(
        title="Border crossing reopens",
        slug="border-crossing-reopens",
        licence="cc-by-nd-4.0",
        authors=[newsroom.reporter],
        lead_image=agency,
        body=body_from_paragraphs(
            [
                "The crossing reopened at dawn, officials said.",
                {"heading": "What changes"},
                {"quote": "Trade resumes today.", "attribution": "Irina Valek", "role": "Minister"},
                {"image": own, "caption": "", "credit": ""},
                {"image": agency, "caption": "Queue at the gate", "credit": ""},
                "Lorries queued for several kilometres.",
            ]
        ),
    )
    return story


def _copy_html(client, story) -> str:
    response = client.get(f"/republish/{story.pk}/")
    assert response.status_code == 200
    raw = re.search(
        r'<textarea id="republish-html"[^>]*>(.*?)</textarea>', response.content.decode(), re.S
    )
    return unescape(raw.group(1))


def test_button_shows_only_for_stories_whose_licence_allows_it(client, newsroom, licensed):
    assert "Republish this story" in client.get(licensed.url).content.decode()
    plain = newsroom.stories[0]
    assert plain.licence == ""
    assert "Republish this story" not in client.get(plain.url).content.decode()
    assert client.get(f"/republish/{plain.pk}/").status_code == 404
    # The site's default licence applies to stories that name none.
    LicenceSettings.objects.create(
        site=Site.objects.get(is_default_site=True), default_licence="cc-by-4.0"
    )
    assert "Republish this story" in client.get(plain.url).content.decode()
    assert client.get(f"/republish/{plain.pk}/").status_code == 200
    # A story may still refuse what the site allows.
    plain.licence = "all-rights-reserved"
    plain.save_revision().publish()
    assert client.get(f"/republish/{plain.pk}/").status_code == 404


def test_copy_has_text_credit_licence_and_pixel_but_not_pictures_we_may_not_license(
    client, newsroom, licensed
):
    Correction.objects.create(page=licensed, text="An earlier version gave the wrong time.")
    html = _copy_html(client, licensed)
    assert "<h1>Border crossing reopens</h1>" in html
    assert "By Mira Castellan" in html
    assert "The crossing reopened at dawn" in html and "Lorries queued" in html
    assert "<h2>What changes</h2>" in html
    assert (
        "<blockquote><p>Trade resumes today.</p><p>— Irina Valek, Minister</p></blockquote>" in html
    )
    assert "Our own photo" in html and "Meridian staff" in html
    assert (
        "Agency photo" not in html and "Queue at the gate" not in html and "Wire Agency" not in html
    )
    assert 'href="http://testserver/news/border-crossing-reopens/"' in html
    assert 'href="https://creativecommons.org/licenses/by-nd/4.0/"' in html
    assert "wrong time" in html
    token = re.search(r'src="http://testserver/republish/seen/([^"]+)\.gif"', html).group(1)
    assert copy.read_token(token) == licensed.pk
    for unwanted in ("<script", "class=", 'style="', "/discovery/seen/"):
        assert unwanted not in html.replace('style="border:0;width:1px;height:1px"', "")
    # Every address in the copy is absolute.
    assert not re.search(r'(?:src|href)="/', html)


def _pixel(client, token, referer=PARTNER, agent=READER, address="198.51.100.4"):
    headers = {"HTTP_USER_AGENT": agent, "REMOTE_ADDR": address}
    if referer:
        headers["HTTP_REFERER"] = referer
    return client.get(f"/republish/seen/{token}.gif", **headers)


def test_pixel_counts_each_reader_once_per_day_grouped_by_site(client, newsroom, licensed):
    token = copy.make_token(licensed.pk)
    first = _pixel(client, token)
    assert first.status_code == 200 and first["Content-Type"] == "image/gif"
    assert "no-store" in first["Cache-Control"]
    _pixel(client, token)  # the same reader again
    _pixel(client, token, address="198.51.100.5")
    _pixel(client, token, referer="https://other.example/a")
    _pixel(client, token, agent="Googlebot/2.1")  # crawlers are not readers
    _pixel(client, token, referer="http://testserver/news/x/")  # our own site
    _pixel(client, token, referer="")
    rows = {r.host: r for r in Republication.objects.filter(article=licensed)}
    assert rows["coastal-herald.example"].views == 2
    assert rows["coastal-herald.example"].last_url == PARTNER
    assert rows["other.example"].views == 1
    assert rows[""].views == 1
    assert "testserver" not in rows
    assert not getattr(first, "cookies", None)


def test_forged_or_hidden_tokens_do_not_count(client, newsroom, licensed):
    assert _pixel(client, "12:forged").status_code == 400
    assert _pixel(client, copy.make_token(licensed.pk)[:-2] + "xx").status_code == 400
    from masthead.discovery.counter import make_token as beacon_token

    # A Popular beacon token is not a republication token.
    assert _pixel(client, beacon_token(licensed.pk)).status_code == 400
    licensed.unpublish()
    assert _pixel(client, copy.make_token(licensed.pk)).status_code == 200
    assert not Republication.objects.exists()


def test_admin_shows_where_a_story_was_republished_and_whom_to_tell_of_a_correction(
    client, newsroom, licensed
):
    _pixel(client, copy.make_token(licensed.pk))
    Correction.objects.create(page=licensed, text="The minister's title was wrong.")
    user = get_user_model().objects.create_superuser("boss", "boss@example.org", "pw-boss-123")
    client.force_login(user)
    report = client.get("/admin/republishing/").content.decode()
    assert "Border crossing reopens" in report
    page = client.get(f"/admin/republishing/{licensed.pk}/").content.decode()
    assert "coastal-herald.example" in page
    assert "The minister&#x27;s title was wrong." in page
    assert "send them the corrected text" in page
    assert PARTNER in page


def test_api_carries_the_licence(client, newsroom, licensed):
    data = client.get(f"/api/v1/stories/{licensed.pk}/").json()
    assert data["licence"] == {
        "code": "cc-by-nd-4.0",
        "name": "CC BY-ND 4.0",
        "url": "https://creativecommons.org/licenses/by-nd/4.0/",
        "republishable": True,
    }
    other = client.get(f"/api/v1/stories/{newsroom.stories[0].pk}/").json()
    assert other["licence"]["republishable"] is False
