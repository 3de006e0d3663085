"""Which caption a picture block shows: its own, the library image's, or none.

An image block (and each picture of a gallery) falls back to the library image's caption
when its own is empty, unless ``library_caption`` is off: then it shows no caption (the
credit stays). Blocks stored before that child existed have no such key and fall back.
"""

import re
import uuid

import pytest
from django.contrib.auth import get_user_model
from wagtail.test.utils.form_data import streamfield

from masthead.articles.blocks import FigureBlock
from masthead.articles.models import ArticlePage
from masthead.core.blocks import GalleryImageBlock
from masthead.images.factories import MastheadImageFactory

from .form_data import article_form_data

LIBRARY = "Officials at the border, Varsk, 3 March"  # the newsroom fixture image's caption


def _figcaptions(html: str, kind: str) -> list[str]:
    start = html.index('<div class="story__body">')
    body = html[start:]
    if kind == "image":
        return re.findall(
            r'<figure class="inline-figure">.*?<figcaption>(.*?)</figcaption>', body, re.S
        )
    return re.findall(r'<li class="gallery__item">.*?<figcaption>(.*?)</figcaption>', body, re.S)


def _raw_story(newsroom, slug: str, raw_body: list[dict]) -> ArticlePage:
    """Return a live story whose body is stored exactly as ``raw_body`` (stored JSON)."""
    story = newsroom.publish(slug=slug)
    ArticlePage.objects.filter(pk=story.pk).update(body=raw_body)
    story.refresh_from_db()
    assert story.body.raw_data[0]["value"] == raw_body[0]["value"]
    return story


def _image(newsroom, **value) -> dict:
    return {
        "type": "image",
        "id": str(uuid.uuid4()),
        "value": {"image": newsroom.image.pk, "credit": "", **value},
    }


def _gallery(*items: dict) -> dict:
    return {
        "type": "gallery",
        "id": str(uuid.uuid4()),
        "value": {
            "caption": "",
            "images": [{"type": "item", "id": str(uuid.uuid4()), "value": item} for item in items],
        },
    }


def test_a_new_block_in_the_editor_falls_back_to_the_library_caption():
    # What the admin's "Add image" starts from: the checkbox is ticked.
    assert FigureBlock().get_default()["library_caption"] is True
    assert GalleryImageBlock().get_default()["library_caption"] is True


def test_an_editor_made_block_with_an_empty_caption_shows_the_library_caption(client, newsroom):
    value = FigureBlock().get_default()
    value["image"] = newsroom.image
    story = newsroom.publish(slug="editor-figure", body=[("image", value)])
    assert story.body.raw_data[0]["value"]["library_caption"] is True
    (caption,) = _figcaptions(client.get(story.url).content.decode(), "image")
    assert f'<span class="caption">{LIBRARY}</span>' in caption
    assert "Photo: Ana Rivas" in caption


def test_old_stored_blocks_without_the_child_render_as_before(client, newsroom):
    own = MastheadImageFactory(caption="Ferry at the quay", credit="Ola Berg")
    story = _raw_story(
        newsroom,
        "old-blocks",
        [
            _image(newsroom, caption=""),
            _image(newsroom, caption="Given by the editor"),
            _gallery(
                {"image": own.pk, "caption": "", "credit": ""},
                {"image": newsroom.image.pk, "caption": "Second frame", "credit": ""},
            ),
        ],
    )
    assert "library_caption" not in story.body.raw_data[0]["value"]
    html = client.get(story.url).content.decode()
    first, second = _figcaptions(html, "image")
    assert f'<span class="caption">{LIBRARY}</span>' in first
    assert '<span class="caption">Given by the editor</span>' in second
    frames = _figcaptions(html, "gallery")
    assert '<span class="caption">Ferry at the quay</span>' in frames[0]
    assert '<span class="caption">Second frame</span>' in frames[1]


def test_a_block_without_library_caption_shows_no_caption_but_keeps_its_credit(client, newsroom):
    # Alt text of its own: without one, the alt text would be the library caption.
    own = MastheadImageFactory(caption="Ferry at the quay", credit="Ola Berg", description="Ferry")
    story = _raw_story(
        newsroom,
        "no-library-caption",
        [
            _image(newsroom, caption="", library_caption=False),
            # Its own caption is always shown: the switch only stops the fallback.
            _image(newsroom, caption="Given by the editor", library_caption=False),
            _gallery(
                {"image": own.pk, "caption": "", "credit": "", "library_caption": False},
                {"image": newsroom.image.pk, "caption": "", "credit": ""},
            ),
        ],
    )
    html = client.get(story.url).content.decode()
    first, second = _figcaptions(html, "image")
    assert 'class="caption"' not in first and LIBRARY not in first
    assert "Photo: Ana Rivas" in first
    assert '<span class="caption">Given by the editor</span>' in second
    frames = _figcaptions(html, "gallery")
    assert 'class="caption"' not in frames[0] and "Ferry at the quay" not in frames[0]
    assert "Photo: Ola Berg" in frames[0]
    assert f'<span class="caption">{LIBRARY}</span>' in frames[1]
    # Nowhere else on the page either (alt text, JSON-LD, the lead picture).
    assert "Ferry at the quay" not in html


@pytest.mark.parametrize("library_caption", [True, False])
def test_the_republishing_copy_follows_the_block(client, newsroom, library_caption):
    own = MastheadImageFactory(
        caption="Ferry at the quay", credit="Ola Berg", republishable=True, description="Ferry"
    )
    story = newsroom.publish(slug="republish-captions", licence="cc-by-4.0")
    value = {"image": own.pk, "caption": "", "credit": ""}
    if not library_caption:
        value["library_caption"] = False
    ArticlePage.objects.filter(pk=story.pk).update(
        body=[{"type": "image", "id": str(uuid.uuid4()), "value": value}]
    )
    html = client.get(f"/republish/{story.pk}/").content.decode()
    assert "Photo: Ola Berg" in html
    assert ("Ferry at the quay" in html) is library_caption


@pytest.mark.parametrize("ticked", [True, False])
def test_editors_choose_in_the_admin_whether_an_empty_caption_uses_the_library(
    client, newsroom, ticked
):
    client.force_login(get_user_model().objects.create_superuser("ed", "ed@example.org", "pw"))
    figure = {"image": newsroom.image.pk, "caption": "", "credit": ""}
    if ticked:  # a browser sends a ticked checkbox as "on", an unticked one not at all
        figure["library_caption"] = "on"
    data = article_form_data(
        "Harbour pilots agree new safety rules",
        "pilots",
        "The rules take effect before the winter storms.",
        authors=[newsroom.reporter],
        topics=[newsroom.marevia],
        body=streamfield([("image", figure)]),
        **{"action-publish": "action-publish"},
    )
    response = client.post(f"/admin/pages/add/articles/articlepage/{newsroom.news.pk}/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    story = ArticlePage.objects.get(slug="pilots")
    assert story.body.raw_data[0]["value"]["library_caption"] is ticked
    client.logout()
    (caption,) = _figcaptions(client.get(story.url).content.decode(), "image")
    assert (LIBRARY in caption) is ticked
    assert "Photo: Ana Rivas" in caption


def test_every_surface_shows_the_same_caption_as_the_page(client, newsroom, settings):
    """API, ninjs and feeds carry the body as the page renders it: the picture without
    a caption carries none; the one falling back carries its library caption."""
    settings.MASTHEAD_FEED_FULL_TEXT = True
    hidden = MastheadImageFactory(caption="Ferry at the quay", credit="Ola Berg", description="F")
    shown = MastheadImageFactory(caption="Nets drying", credit="Ola Berg", description="N")
    story = _raw_story(
        newsroom,
        "surfaces",
        [
            {
                "type": "image",
                "id": str(uuid.uuid4()),
                "value": {
                    "image": hidden.pk,
                    "caption": "",
                    "credit": "",
                    "library_caption": False,
                },
            },
            {
                "type": "image",
                "id": str(uuid.uuid4()),
                "value": {"image": shown.pk, "caption": "", "credit": ""},
            },
        ],
    )
    surfaces = {
        "page": client.get(story.url).content.decode(),
        "api": client.get(f"/api/v1/stories/{story.pk}/").json()["body_html"],
        "ninjs": client.get(f"/api/v1/stories/{story.pk}/ninjs/").json()["bodies"][0]["value"],
        "rss": client.get("/feeds/rss/").content.decode(),
        "atom": client.get("/feeds/atom/").content.decode(),
    }
    for name, text in surfaces.items():
        assert "Ferry at the quay" not in text, name
        assert "Nets drying" in text, name
