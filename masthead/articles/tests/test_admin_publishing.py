"""An editor writes and publishes a story from the Wagtail admin; readers then see it."""

import re

import pytest
from django.contrib.auth import get_user_model

from masthead.articles.models import ArticlePage

from .form_data import article_form_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor_client(client):
    user = get_user_model().objects.create_superuser("editor", "editor@example.org", "pw")
    client.force_login(user)
    return client


def _create(editor_client, newsroom, **extra):
    data = article_form_data(
        "Harbour pilots agree new safety rules",
        "harbour-pilots-agree-new-safety-rules",
        "The rules take effect before the winter storms.",
        paragraphs=["Harbour pilots at Port Halden agreed new safety rules on Tuesday."],
        authors=[newsroom.reporter],
        topics=[newsroom.marevia],
        lead_image=newsroom.image,
        caption="Pilots board a ship, Port Halden, 2 March",
        credit="Ruben Halloway",
        **extra,
    )
    return editor_client.post(f"/admin/pages/add/articles/articlepage/{newsroom.news.pk}/", data)


def test_editor_publishes_a_story_that_readers_then_see(editor_client, newsroom, client):
    response = _create(editor_client, newsroom, **{"action-publish": "action-publish"})
    assert response.status_code == 302, response.content.decode()[:2000]
    story = ArticlePage.objects.get(slug="harbour-pilots-agree-new-safety-rules")
    assert story.live
    assert story.first_published_at is not None
    assert story.revisions.count() == 1
    assert [a.name for a in story.authors] == ["Mira Castellan"]
    client.logout()
    for url in ("/", "/news/", "/topics/marevia/", "/authors/mira-castellan/"):
        html = client.get(url).content.decode()
        assert "Harbour pilots agree new safety rules" in html, url
    page = client.get(story.url).content.decode()
    assert "Pilots board a ship, Port Halden, 2 March" in page
    assert re.search(r"Photo:\s*Ruben Halloway", page)


def test_a_saved_draft_stays_off_the_public_site(editor_client, newsroom, client):
    response = _create(editor_client, newsroom)
    assert response.status_code == 302
    story = ArticlePage.objects.get(slug="harbour-pilots-agree-new-safety-rules")
    assert not story.live
    client.logout()
    assert "Harbour pilots" not in client.get("/").content.decode()
    assert client.get("/news/harbour-pilots-agree-new-safety-rules/").status_code == 404


def test_a_story_without_a_standfirst_is_refused_with_a_message(editor_client, newsroom):
    data = article_form_data("No standfirst here", "no-standfirst", "", paragraphs=["Body."])
    data["action-publish"] = "action-publish"
    response = editor_client.post(
        f"/admin/pages/add/articles/articlepage/{newsroom.news.pk}/", data
    )
    assert response.status_code == 200
    assert "This field is required" in response.content.decode()
    assert not ArticlePage.objects.filter(slug="no-standfirst").exists()


def test_admin_forms_for_snippets_and_story_editor_load(editor_client, newsroom):
    story = newsroom.stories[0]
    for url in (
        "/admin/",
        f"/admin/pages/{story.pk}/edit/",
        f"/admin/pages/add/articles/articlepage/{newsroom.news.pk}/",
        "/admin/snippets/people/author/",
        "/admin/snippets/sections/topic/",
        "/admin/images/",
    ):
        assert editor_client.get(url).status_code == 200, url
