"""The story blocks of masthead.core.blocks as a reader, a feed reader, search and an
editor meet them: tables, galleries, audio, documents and fact boxes."""

import io

import feedparser
import pytest
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from wagtail.documents import get_document_model
from wagtailmedia import get_media_model

from masthead.core.blocks import stream_texts

pytestmark = pytest.mark.django_db


@pytest.fixture
def story(newsroom):
    document = get_document_model()(title="Audit report 2024")
    document.file.save("audit.pdf", ContentFile(b"%PDF-1.4\n" + b"0" * 2048), save=False)
    document.save()
    audio = get_media_model()(title="Interview", type="audio", duration=0)
    audio.file.save("interview.mp3", ContentFile(b"ID3" + b"\x00" * 512), save=False)
    audio.save()
    body = [
        ("paragraph", "<p>The council voted on Tuesday.</p>"),
        (
            "table",
            {
                "table": {
                    "data": [["Party", "Seats"], ["Harbour List", "7"], ["Greens", "2"]],
                    "first_row_is_table_header": True,
                    "first_col_is_header": True,
                    "table_caption": "Seats after the vote",
                },
                "source": "Tesk electoral office",
            },
        ),
        (
            "gallery",
            {
                "caption": "The count, hour by hour",
                "images": [
                    {
                        "type": "item",
                        "id": "0b7c2d8e-0000-4000-8000-000000000001",
                        "value": {
                            "image": newsroom.image.pk,
                            "caption": "Ballots arrive",
                            "credit": "A. Rivas",
                        },
                    },
                    {
                        "type": "item",
                        "id": "0b7c2d8e-0000-4000-8000-000000000002",
                        "value": {"image": newsroom.image.pk, "caption": "", "credit": ""},
                    },
                ],
            },
        ),
        (
            "audio",
            {
                "media": audio.pk,
                "embed": None,
                "title": "The mayor on the result",
                "caption": "Recorded at the town hall",
                "transcript": "We accept the result [of the count] in full.",
            },
        ),
        ("document", {"document": document.pk, "title": "", "description": "42 pages"}),
        (
            "fact_box",
            {"title": "The vote in numbers", "body": "<ul><li>Turnout: 61 per cent</li></ul>"},
        ),
    ]
    raw = [{"type": kind, "value": value} for kind, value in body]  # stored form, ids as pks
    return newsroom.publish(slug="council-vote", title="Council vote settles the harbour", body=raw)


def test_readers_see_each_block_with_accessible_markup(client, story):
    html = client.get(story.url).content.decode()
    assert (
        '<div class="table-figure__scroll" role="region" tabindex="0" aria-label="Seats after the vote">'
        in html
    )
    assert "<caption>Seats after the vote</caption>" in html
    assert '<th scope="col"' in html and '<th scope="row"' in html
    assert "Source: Tesk electoral office" in html
    assert (
        'class="gallery__track" role="region" tabindex="0" aria-label="The count, hour by hour"'
        in html
    )
    assert html.count('class="gallery__item"') == 2
    assert "1 of 2" in html and "Ballots arrive" in html and "A. Rivas" in html
    assert '<audio controls preload="none" src="/media/media/interview' in html
    assert "<summary>Transcript</summary>" in html
    assert "We accept the result [of the count] in full." in html
    assert ">Audit report 2024</a>" in html, html[html.find("document-link") - 20 :][:600]
    assert "(PDF, 2.0\xa0KB)" in html
    assert '<aside class="fact-box" aria-label="The vote in numbers">' in html
    assert "Turnout: 61 per cent" in html


def test_feeds_carry_the_blocks_as_html(client, story, settings):
    settings.MASTHEAD_FEED_FULL_TEXT = True
    feed = feedparser.parse(io.BytesIO(client.get("/feeds/rss/").content))
    content = feed.entries[0].content[0].value
    assert "<caption>Seats after the vote</caption>" in content
    assert "Turnout: 61 per cent" in content and "Audit report 2024" in content
    assert "<audio" in content and "http" in content.split("<audio", 1)[1][:200]


def test_search_and_stream_texts_read_every_block(client, story):
    texts = " ".join(stream_texts(story.body))
    for words in (
        "Harbour List",
        "Seats after the vote",
        "Ballots arrive",
        "The count, hour by hour",
        "[of the count]",
        "42 pages",
        "Turnout: 61 per cent",
        "Tesk electoral office",
    ):
        assert words in texts, words
    for query in ("Greens", "Turnout", "transcript accept"):
        html = client.get("/search/", {"q": query.split()[-1]}).content.decode()
        assert "Council vote settles the harbour" in html, query


def test_editors_open_a_story_with_every_block_in_the_admin(client, story):
    user = get_user_model().objects.create_superuser("editor", "editor@example.org", "pw")
    client.force_login(user)
    response = client.get(f"/admin/pages/{story.pk}/edit/")
    assert response.status_code == 200
    page = response.content.decode()
    for label in ("Table", "Gallery", "Audio", "Video", "Document", "Fact box"):
        assert label in page, label
