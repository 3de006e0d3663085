"""The article page is light: HTML and CSS compressed under 60 KB, no blocking script,
responsive pictures with modern formats and their size set (no layout shift)."""

import gzip
from html.parser import HTMLParser

import pytest
from django.contrib.staticfiles import finders

from masthead.articles.factories import body_from_paragraphs
from masthead.images.factories import MastheadImageFactory

pytestmark = pytest.mark.django_db

WEIGHT_LIMIT = 60 * 1024
# Script types a browser does not run: data blocks never block rendering.
DATA_SCRIPT_TYPES = {"application/ld+json", "application/json"}
MODERN_TYPES = {"image/webp", "image/avif"}


class _Page(HTMLParser):
    def __init__(self):
        super().__init__()
        self.in_head = False
        self.head_scripts: list[dict] = []
        self.body_scripts: list[dict] = []
        self.stylesheets: list[str] = []
        self.images: list[dict] = []
        self.picture_sources: list[list[dict]] = []
        self._picture: list[dict] | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "head":
            self.in_head = True
        elif tag == "script":
            (self.head_scripts if self.in_head else self.body_scripts).append(attrs)
        elif tag == "link" and attrs.get("rel") == "stylesheet":
            self.stylesheets.append(attrs["href"])
        elif tag == "picture":
            self._picture = []
        elif tag == "source" and self._picture is not None:
            self._picture.append(attrs)
        elif tag == "img":
            attrs["_sources"] = self._picture
            self.images.append(attrs)

    def handle_endtag(self, tag):
        if tag == "head":
            self.in_head = False
        elif tag == "picture":
            self._picture = None


def _blocking(script: dict) -> bool:
    if script.get("type") in DATA_SCRIPT_TYPES or script.get("type") == "module":
        return False
    return "async" not in script and "defer" not in script


@pytest.fixture
def demo_like_story(newsroom):
    """A story like the demo's: lead picture, six paragraphs, quotes, two inline pictures."""
    inline = [MastheadImageFactory(title=f"Inline {n}") for n in range(2)]
    paragraph = (
        "The harbour board met on Tuesday to decide whether the northern quay reopens "
        "before the winter storms, after engineers reported cracks in the old sea wall. "
    ) * 3
    body = [
        paragraph,
        {
            "quote": "We will not reopen a quay we cannot guarantee.",
            "attribution": "Lena Orsk",
            "role": "Chair of the harbour board",
        },
        paragraph,
        {"image": inline[0], "caption": "The cracked sea wall at low tide", "credit": "Tomas Vey"},
        paragraph,
        {"heading": "What happens next"},
        paragraph,
        {"image": inline[1], "caption": "", "credit": ""},
        paragraph,
        {"quote": "Fishing crews need a date.", "attribution": "Piet Amund", "role": "Skipper"},
        paragraph,
    ]
    return newsroom.publish(
        title="Harbour board delays the reopening of the northern quay",
        slug="quay-delay",
        standfirst="Engineers found cracks in the sea wall; a decision is due in two weeks.",
        body=body_from_paragraphs(body),
        lead_image=newsroom.image,
        authors=[newsroom.reporter, newsroom.columnist],
        topics=[newsroom.marevia, newsroom.energy],
    )


@pytest.fixture
def article(client, demo_like_story):
    response = client.get(demo_like_story.url)
    assert response.status_code == 200
    page = _Page()
    page.feed(response.content.decode())
    return response, page


def test_article_html_and_css_compressed_are_under_60_kb(article):
    response, page = article
    assert page.stylesheets, "the page links its stylesheet"
    total = len(gzip.compress(response.content))
    for href in page.stylesheets:
        path = finders.find(href.removeprefix("/static/"))
        assert path, href
        with open(path, "rb") as css:
            total += len(gzip.compress(css.read()))
    assert total < WEIGHT_LIMIT, total


def test_article_has_no_render_blocking_script(article):
    _, page = article
    assert not [s for s in page.head_scripts if _blocking(s)]
    # Reading needs no JavaScript at all: no executable script anywhere on the page.
    assert not [s for s in page.body_scripts if s.get("type") not in DATA_SCRIPT_TYPES]


def test_article_pictures_are_responsive_sized_and_modern(article):
    _, page = article
    # The counting pixel (1x1, hidden) is not a picture a reader sees.
    pictures = [img for img in page.images if "hidden" not in img]
    assert len(pictures) >= 3 + 4  # lead, two inline, and the teaser cards
    for img in pictures:
        assert img.get("srcset") and "," in img["srcset"], img
        assert img.get("width") and img.get("height"), img
        assert img.get("alt") is not None, img
        sources = img["_sources"] or []
        modern = {s.get("type") for s in sources} & MODERN_TYPES
        assert modern and all(s.get("srcset") for s in sources), img
    lead = pictures[0]
    assert lead.get("fetchpriority") == "high" and lead.get("loading") != "lazy"
    assert all(img.get("loading") == "lazy" for img in pictures[1:])
