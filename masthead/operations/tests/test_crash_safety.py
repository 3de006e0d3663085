"""A publish that fails anywhere leaves the story exactly as it was.

Without the transaction around Wagtail's publish action, each of these tests finds the
story live (or its new headline live) after the error.
"""

import contextlib
import re

import pytest
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from wagtail import hooks
from wagtail.search.models import IndexEntry
from wagtail.signals import page_published

from masthead.articles.factories import ArticlePageFactory
from masthead.articles.models import ArticlePage
from masthead.articles.tests.form_data import article_form_data
from masthead.discovery.models import ArticleIndexEntry, ArticleRelatedArticle

pytestmark = pytest.mark.django_db


class HookFailed(Exception):
    pass


@contextlib.contextmanager
def failing_receiver():
    """Connect a ``page_published`` receiver that runs after Masthead's own and raises."""

    def explode(sender, instance, **kwargs):
        raise HookFailed("receiver broke")

    page_published.connect(explode, dispatch_uid="test-explode")
    try:
        yield
    finally:
        page_published.disconnect(dispatch_uid="test-explode")


@pytest.fixture
def editor_client(client):
    user = get_user_model().objects.create_superuser("editor", "editor@example.org", "pw")
    client.force_login(user)
    return client


def _index_rows(page) -> dict:
    ct = ContentType.objects.get_for_model(ArticlePage)
    return {
        "related_index": ArticleIndexEntry.objects.filter(article_id=page.pk).count(),
        "related": ArticleRelatedArticle.objects.filter(article_id=page.pk).count(),
        "search": IndexEntry.objects.filter(content_type=ct, object_id=str(page.pk)).count(),
    }


def _state(page) -> tuple:
    page = ArticlePage.objects.get(pk=page.pk)
    return (
        page.live,
        page.title,
        page.live_revision_id,
        page.has_unpublished_changes,
        page.first_published_at,
        page.last_published_at,
    )


def test_error_in_a_published_receiver_leaves_a_draft_unpublished(newsroom):
    draft = ArticlePageFactory(parent=newsroom.news, live=False, title="Quay wall repairs begin")
    revision = draft.save_revision()
    before, rows_before = _state(draft), _index_rows(draft)

    with failing_receiver(), pytest.raises(HookFailed):
        revision.publish()

    assert _state(draft) == before
    assert not ArticlePage.objects.get(pk=draft.pk).live
    # The related and search receivers ran before the failing one: their rows are gone too.
    assert _index_rows(draft) == rows_before
    assert ArticlePage.objects.live().filter(pk=draft.pk).count() == 0


def test_error_in_a_published_receiver_keeps_the_old_live_version(newsroom):
    story = newsroom.publish(revision=True, title="Ferry timetable changes")
    before = _state(story)
    story.title = "Ferry timetable changes again"
    revision = story.save_revision()  # a saved draft, committed before publishing starts
    with failing_receiver(), pytest.raises(HookFailed):
        revision.publish()
    live, title, live_revision, _, first, last = _state(story)
    assert (live, title, live_revision, first, last) == before[:3] + before[4:]
    assert ArticlePage.objects.get(pk=story.pk).has_unpublished_changes  # the draft waits
    assert ArticlePage.objects.get(pk=story.pk).title == "Ferry timetable changes"


def test_admin_publish_error_shows_a_message_and_changes_nothing(editor_client, newsroom):
    data = article_form_data(
        "Night buses return to the coast road",
        "night-buses-return",
        "The service restarts after two years.",
        paragraphs=["Night buses will run on the coast road from Monday."],
        authors=[newsroom.reporter],
        **{"action-publish": "action-publish"},
    )
    with failing_receiver():
        response = editor_client.post(
            f"/admin/pages/add/articles/articlepage/{newsroom.news.pk}/", data
        )
    assert response.status_code == 200
    html = response.content.decode()
    assert "could not be published because of an error" in html
    # The editor's text is still in the form.
    assert "Night buses return to the coast road" in html
    assert not ArticlePage.objects.filter(slug="night-buses-return").exists()


def test_admin_publish_error_in_after_publish_hook_keeps_the_live_story(editor_client, newsroom):
    story = newsroom.publish(revision=True, title="Library opens on Sundays", slug="library")
    before = _state(story)
    revisions = story.revisions.count()
    data = article_form_data(
        "Library opens on Sundays and holidays",
        "library",
        "Opening hours grow from next month.",
        paragraphs=["The town library will open on Sundays."],
        authors=[newsroom.reporter],
        **{"action-publish": "action-publish"},
    )

    def broken_hook(request, page):
        raise HookFailed("after_publish_page broke")

    with hooks.register_temporarily("after_publish_page", broken_hook):
        response = editor_client.post(f"/admin/pages/{story.pk}/edit/", data)

    assert response.status_code == 200
    assert "could not be published because of an error" in response.content.decode()
    assert _state(story) == before
    assert story.revisions.count() == revisions
    assert editor_client.get(story.url).content.decode().count("Library opens on Sundays and") == 0


def _loaded_revision(html: str) -> dict:
    return {
        name: re.search(rf'name="{name}" value="([^"]*)"', html).group(1)
        for name in ("loaded_revision_id", "loaded_revision_created_at")
    }


def _latest(story):
    return story.revisions.order_by("-created_at", "-pk").first()


def test_second_editor_is_told_of_the_conflict_and_nothing_is_overwritten(client, newsroom):
    from django.test import Client

    users = get_user_model()
    first, second = Client(), Client()
    first.force_login(
        users.objects.create_superuser(
            "ana", "ana@example.org", "pw", first_name="Ana", last_name="Rivas"
        )
    )
    second.force_login(users.objects.create_superuser("ben", "ben@example.org", "pw"))
    story = newsroom.publish(revision=True, title="Bridge closes for repairs", slug="bridge")
    edit_url = f"/admin/pages/{story.pk}/edit/"
    opened_first = _loaded_revision(first.get(edit_url).content.decode())
    opened_second = _loaded_revision(second.get(edit_url).content.decode())

    def form(title, opened):
        return article_form_data(
            title,
            "bridge",
            "Repairs take three weeks.",
            paragraphs=["The bridge closes on Monday."],
            **opened,
        )

    assert (
        first.post(edit_url, form("Bridge closes for three weeks", opened_first)).status_code == 302
    )
    saved_by_first = _latest(story).pk

    response = second.post(edit_url, form("Bridge stays open", opened_second))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Ana Rivas saved a newer version of this story" in html
    assert "Bridge stays open" in html  # the second editor's text is not lost
    assert _latest(story).pk == saved_by_first
    assert _latest(story).as_object().title == "Bridge closes for three weeks"

    # Publishing from the stale form is refused the same way.
    response = second.post(
        edit_url, {**form("Bridge stays open", opened_second), "action-publish": "action-publish"}
    )
    assert response.status_code == 200
    assert ArticlePage.objects.get(pk=story.pk).title == "Bridge closes for repairs"

    # Having been told, the second editor may save over it from the refreshed form.
    refreshed = _loaded_revision(html)
    assert refreshed["loaded_revision_id"] == str(saved_by_first)
    assert second.post(edit_url, form("Bridge stays open", refreshed)).status_code == 302
    assert _latest(story).as_object().title == "Bridge stays open"


def test_an_editors_own_newer_autosave_does_not_refuse_their_publish(newsroom):
    """The editor's autosave can land while their Publish is on its way (seen in CI)."""
    from django.test import Client

    editor = get_user_model().objects.create_superuser("cara", "cara@example.org", "pw")
    client = Client()
    client.force_login(editor)
    story = newsroom.publish(revision=True, title="Ferry timetable changes", slug="ferry")
    edit_url = f"/admin/pages/{story.pk}/edit/"
    opened = _loaded_revision(client.get(edit_url).content.decode())
    # What the autosave request saved a moment before the Publish arrived.
    ArticlePage.objects.get(pk=story.pk).save_revision(user=editor)
    data = article_form_data(
        "Ferry timetable changes on Monday",
        "ferry",
        "Crossings every hour.",
        paragraphs=["The winter timetable starts on Monday."],
        **opened,
    )
    response = client.post(edit_url, {**data, "action-publish": "action-publish"})
    assert response.status_code == 302, response.content.decode()[:2000]
    assert ArticlePage.objects.get(pk=story.pk).title == "Ferry timetable changes on Monday"

    # The same stale form after someone else saved is refused.
    opened = _loaded_revision(client.get(edit_url).content.decode())
    other = get_user_model().objects.create_superuser("dan", "dan@example.org", "pw")
    ArticlePage.objects.get(pk=story.pk).save_revision(user=other)
    response = client.post(
        edit_url, {**data, "title": "Ferry stops", "action-publish": "action-publish"}
    )
    assert response.status_code == 200
    assert "saved a newer version of this story" in response.content.decode()
    assert ArticlePage.objects.get(pk=story.pk).title == "Ferry timetable changes on Monday"
