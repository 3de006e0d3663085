"""The read API as a partner sees it: every endpoint against its OpenAPI schema, filters,
conditional requests and errors."""

import datetime as dt

import pytest
from django.utils import timezone
from django.utils.http import http_date

from masthead.articles.models import Correction

from .conftest import response_validator

pytestmark = pytest.mark.django_db


def _about_page(newsroom):
    from masthead.pages.models import InformationPage

    about = InformationPage(
        title="About us",
        slug="about",
        kind="about",
        standfirst="Who we are.",
        body=[
            {
                "type": "paragraph",
                "value": '<p>Founded in 2019. <a href="/news/">Our news</a>.</p>',
            }
        ],
    )
    newsroom.home.add_child(instance=about)
    about.save_revision().publish()
    return about


def _endpoints(newsroom, about=None):
    story = newsroom.stories[0]
    extra = [(f"/api/v1/pages/{about.pk}/", "/api/v1/pages/{page_id}/")] if about else []
    return extra + [
        ("/api/v1/stories/", "/api/v1/stories/"),
        (f"/api/v1/stories/{story.pk}/", "/api/v1/stories/{story_id}/"),
        ("/api/v1/sections/", "/api/v1/sections/"),
        ("/api/v1/sections/news/", "/api/v1/sections/{slug}/"),
        ("/api/v1/topics/", "/api/v1/topics/"),
        ("/api/v1/topics/marevia/", "/api/v1/topics/{slug}/"),
        ("/api/v1/authors/", "/api/v1/authors/"),
        ("/api/v1/authors/mira-castellan/", "/api/v1/authors/{slug}/"),
        ("/api/v1/corrections/", "/api/v1/corrections/"),
        ("/api/v1/pages/", "/api/v1/pages/"),
    ]


def test_every_endpoint_answers_what_its_openapi_schema_says(client, newsroom, openapi):
    story = newsroom.stories[0]
    Correction.objects.create(page=story, text="An earlier version misspelt a name.")
    about = _about_page(newsroom)
    for url, template in _endpoints(newsroom, about):
        response = client.get(url)
        assert response.status_code == 200, url
        assert response["Content-Type"].startswith("application/json")
        errors = list(response_validator(openapi, template).iter_errors(response.json()))
        assert not errors, (url, [e.message for e in errors[:3]])
    # The document describes every endpoint, errors included.
    assert {t for _, t in _endpoints(newsroom, about)} <= set(openapi["paths"])
    assert "/api/v1/stories/{story_id}/ninjs/" in openapi["paths"]
    assert "404" in openapi["paths"]["/api/v1/stories/{story_id}/"]["get"]["responses"]


def test_a_schema_mismatch_is_caught(openapi):
    """The contract check can fail: a story without its headline is refused."""
    validator = response_validator(openapi, "/api/v1/stories/{story_id}/")
    assert list(validator.iter_errors({"id": 1}))


def test_story_detail_has_body_corrections_and_absolute_links(client, newsroom):
    story = newsroom.stories[0]
    Correction.objects.create(page=story, text="The minister's name was misspelt.")
    data = client.get(f"/api/v1/stories/{story.pk}/").json()
    assert data["headline"] == story.title
    assert data["url"] == "http://testserver/news/story-0/"
    assert "Foreign ministers met on Tuesday" in data["body_html"]
    assert data["corrections"][0]["text"] == "The minister's name was misspelt."
    assert data["section"]["slug"] == "news"
    assert data["authors"] == [
        {"slug": "mira-castellan", "name": "Mira Castellan", "job_title": "Correspondent"}
    ]
    assert data["image"]["url"].startswith("http://testserver/media/")
    assert data["image"]["credit"] == "Ana Rivas"
    assert data["links"]["ninjs"].endswith(f"/api/v1/stories/{story.pk}/ninjs/")


def test_an_uncached_story_answer_takes_four_queries(
    client, newsroom, settings, django_assert_num_queries
):
    """The story, its bylines, its topics, its corrections: no query per field or item
    (a column left out of ``serialize.STORY_FIELDS`` would add one here)."""
    from masthead.sections.factories import TopicFactory

    settings.MASTHEAD_API_CACHE = False
    story = newsroom.publish(
        title="Ministers agree on the crossing",
        kicker="Exclusive",
        source_name="Coastal Wire",
        source_url="https://wire.example.org/story/1",
        authors=[newsroom.reporter, newsroom.columnist],
        topics=[TopicFactory(name="Border Council", kind="organisation"), newsroom.marevia],
        lead_image=newsroom.image,
    )
    Correction.objects.create(page=story, text="An earlier version gave the wrong date.")
    Correction.objects.create(page=story, text="And the wrong place.")
    # Warm what every answer shares and keeps (sites, sections, settings, renditions).
    warm = newsroom.stories[0].pk
    for path in (f"/api/v1/stories/{warm}/", f"/api/v1/stories/{warm}/ninjs/"):
        assert client.get(path).status_code == 200
    for path in (f"/api/v1/stories/{story.pk}/", f"/api/v1/stories/{story.pk}/ninjs/"):
        with django_assert_num_queries(4):
            response = client.get(path)
        assert response.status_code == 200
    data = client.get(f"/api/v1/stories/{story.pk}/").json()
    assert [a["slug"] for a in data["authors"]] == [
        newsroom.reporter.slug,
        newsroom.columnist.slug,
    ]
    assert [t["name"] for t in data["topics"]] == ["Border Council", "Marevia"]
    assert [c["text"] for c in data["corrections"]] == [
        "An earlier version gave the wrong date.",
        "And the wrong place.",
    ]
    assert data["kicker"] == "Exclusive" and data["source"]["name"] == "Coastal Wire"
    assert data["updated_at"] is not None  # the newest correction


def _ids(response) -> list[int]:
    assert response.status_code == 200, response.content
    return [item["id"] for item in response.json()["results"]]


def test_filters_by_section_topic_author_time_and_words(client, newsroom):
    stories = newsroom.stories
    news = [s.pk for s in stories if s.get_parent().pk == newsroom.news.pk]
    assert _ids(client.get("/api/v1/stories/?section=news")) == news
    energy = [s.pk for i, s in enumerate(stories) if i % 3 == 0]
    assert _ids(client.get("/api/v1/stories/?topic=energy")) == energy
    other = newsroom.publish(title="Wind farms approved", authors=[newsroom.columnist])
    assert _ids(client.get("/api/v1/stories/?author=kenji-larsson-abe")) == [other.pk]
    since = (timezone.now() - dt.timedelta(days=2, hours=12)).isoformat()
    recent = _ids(client.get("/api/v1/stories/", {"updated_since": since}))
    assert recent == [other.pk, stories[0].pk, stories[1].pk]
    assert _ids(client.get("/api/v1/stories/?q=wind+farms")) == [other.pk]
    assert _ids(client.get("/api/v1/stories/?section=news&topic=energy")) == [
        s for s in news if s in energy
    ]


def test_bad_input_gets_a_clear_error_not_a_500(client, newsroom):
    cases = {
        "/api/v1/stories/?cursor=not-a-cursor": 400,
        "/api/v1/stories/?cursor=%00%ff": 400,
        "/api/v1/stories/?updated_since=yesterday": 422,
        "/api/v1/stories/?limit=many": 422,
        "/api/v1/stories/?section=nowhere": 404,
        "/api/v1/stories/999999/": 404,
        "/api/v1/stories/abc/": 422,
        "/api/v1/topics/nowhere/": 404,
        "/api/v1/authors/nobody/": 404,
        "/api/v1/sections/nowhere/": 404,
    }
    for url, status in cases.items():
        response = client.get(url)
        assert response.status_code == status, (url, response.content)
        assert "detail" in response.json()
        assert b"Traceback" not in response.content


def test_limit_is_kept_between_one_and_a_hundred(client, newsroom):
    assert len(_ids(client.get("/api/v1/stories/?limit=0"))) == 1
    assert len(_ids(client.get("/api/v1/stories/?limit=100000"))) == len(newsroom.stories)


def test_etag_and_last_modified_give_304(client, newsroom):
    url = f"/api/v1/stories/{newsroom.stories[0].pk}/"
    first = client.get(url)
    etag, modified = first["ETag"], first["Last-Modified"]
    assert etag and modified
    assert modified == http_date(int(newsroom.stories[0].last_published_at.timestamp()))
    again = client.get(url, HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304
    assert again.content == b""
    assert client.get(url, HTTP_IF_MODIFIED_SINCE=modified).status_code == 304
    assert client.get(url, HTTP_IF_NONE_MATCH='"other"').status_code == 200
    listing = client.get("/api/v1/stories/")
    assert client.get("/api/v1/stories/", HTTP_IF_NONE_MATCH=listing["ETag"]).status_code == 304


def test_a_new_story_changes_the_list_etag(client, newsroom):
    listing = client.get("/api/v1/stories/")
    newsroom.publish(days_ago=0, revision=True, title="Fresh news from the border")
    fresh = client.get("/api/v1/stories/", HTTP_IF_NONE_MATCH=listing["ETag"])
    assert fresh.status_code == 200
    assert fresh.json()["results"][0]["headline"] == "Fresh news from the border"


def test_answers_are_never_stored_by_shared_caches(client, newsroom):
    response = client.get("/api/v1/stories/")
    assert "private" in response["Cache-Control"]


def test_cursor_walk_sees_every_story_once(client, newsroom):
    seen, url = [], "/api/v1/stories/?limit=3"
    while url:
        data = client.get(url).json()
        seen += [item["id"] for item in data["results"]]
        url = data["next"]
    assert seen == [s.pk for s in newsroom.stories]


def test_pages_lists_pages_that_are_not_stories(client, newsroom):
    data = client.get("/api/v1/pages/").json()
    types = {item["type"] for item in data["results"]}
    assert "articles.ArticlePage" not in types
    assert {"sections.HomePage", "sections.SectionPage"} <= types


def test_page_detail_has_the_text_of_an_information_page(client, newsroom):
    about = _about_page(newsroom)
    listed = client.get("/api/v1/pages/?limit=100").json()["results"]
    [item] = [p for p in listed if p["id"] == about.pk]
    assert item["links"]["self"] == f"http://testserver/api/v1/pages/{about.pk}/"
    data = client.get(item["links"]["self"]).json()
    assert data["title"] == "About us" and data["kind"] == "about"
    assert data["standfirst"] == "Who we are."
    assert "Founded in 2019." in data["body_html"]
    assert 'href="http://testserver/news/"' in data["body_html"]  # links made absolute
    section = client.get(f"/api/v1/pages/{newsroom.news.pk}/").json()
    assert section["type"] == "sections.SectionPage" and section["body_html"] == ""
    # A story is not a page here (it has its own address), nor is an unknown id.
    assert client.get(f"/api/v1/pages/{newsroom.stories[0].pk}/").status_code == 404
    assert client.get("/api/v1/pages/999999/").status_code == 404


def test_corrections_list_newest_first(client, newsroom):
    a = Correction.objects.create(
        page=newsroom.stories[0],
        text="First fix.",
        published_at=timezone.now() - dt.timedelta(hours=2),
    )
    b = Correction.objects.create(page=newsroom.stories[1], text="Second fix.")
    data = client.get("/api/v1/corrections/").json()
    assert [item["id"] for item in data["results"]] == [b.pk, a.pk]
    assert data["results"][1]["story_id"] == newsroom.stories[0].pk


def test_openapi_document_and_its_reader_page_are_served(client, newsroom):
    document = client.get("/api/v1/openapi.json").json()
    assert document["info"]["title"] == "Masthead read API"
    assert {"BearerKey", "HeaderKey"} <= set(document["components"]["securitySchemes"])
    assert client.get("/api/v1/docs").status_code == 200
