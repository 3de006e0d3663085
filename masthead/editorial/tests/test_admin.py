"""The editor's side: the findings panel, the publish gate and the override log."""

from unittest import mock

import pytest
from django.contrib.auth.models import Group, Permission
from django.urls import reverse
from wagtail.models import GroupPagePermission, PageLogEntry

from masthead.articles.models import ArticlePage
from masthead.articles.tests.form_data import article_form_data
from masthead.editorial.findings import BLOCKING
from masthead.editorial.models import EditorialOverride, EditorialSettings, NewsroomWord
from masthead.editorial.newsroom import newsroom_lexicon


@pytest.fixture(autouse=True)
def _fresh_dictionary():
    # The learned dictionary lives in the cache, which outlives each test's database.
    from masthead.editorial.newsroom import invalidate

    invalidate()


MISSPELT = "The goverment said talks would resume next week in the capital."


@pytest.fixture
def editor(django_user_model):
    return django_user_model.objects.create_superuser("chief", "chief@example.org", "pw")


@pytest.fixture
def contributor(django_user_model, newsroom):
    """A reporter who may publish stories but not overrule the checks."""
    group = Group.objects.create(name="Reporters")
    group.permissions.add(Permission.objects.get(codename="access_admin"))
    for kind in ("add", "change", "publish"):
        GroupPagePermission.objects.create(group=group, page=newsroom.home, permission_type=kind)
    user = django_user_model.objects.create_user("reporter", "r@example.org", "pw")
    user.groups.add(group)
    return user


@pytest.fixture
def draft(newsroom):
    story = newsroom.publish(title="Talks resume in the capital", slug="talks", revision=False)
    story.unpublish()
    return ArticlePage.objects.get(pk=story.pk)


def _blocking(newsroom, check="spelling"):
    settings = EditorialSettings.for_site(newsroom.home.get_site())
    setattr(settings, check, BLOCKING)
    settings.save()


def _post(client, user, page, newsroom, *, publish=True, **extra):
    client.force_login(user)
    data = article_form_data(
        page.title,
        page.slug,
        "Ministers meet again.",
        paragraphs=[MISSPELT],
        authors=[newsroom.reporter],
        topics=[newsroom.energy],
        lead_image=newsroom.image,
        **extra,
    )
    if publish:
        data["action-publish"] = "action-publish"
    return client.post(reverse("wagtailadmin_pages:edit", args=[page.pk]), data)


def test_panel_shows_findings_with_the_words_and_fixes(client, editor, draft, newsroom):
    response = _post(client, editor, draft, newsroom, publish=False)
    assert response.status_code == 302
    html = client.get(reverse("wagtailadmin_pages:edit", args=[draft.pk])).content.decode()
    assert "data-editorial-findings" in html
    assert 'data-rule="spelling.unknown_word"' in html
    assert "<mark>goverment</mark>" in html
    assert "<kbd>government</kbd>" in html


def test_blocking_finding_stops_publishing_but_keeps_the_draft(client, editor, draft, newsroom):
    _blocking(newsroom)
    response = _post(client, editor, draft, newsroom)
    assert response.status_code == 302
    assert response["Location"] == reverse("wagtailadmin_pages:edit", args=[draft.pk])
    draft.refresh_from_db()
    assert not draft.live
    latest = draft.get_latest_revision_as_object()
    assert "goverment" in str(latest.body)
    assert not EditorialOverride.objects.exists()


def test_editor_publishes_past_blocking_findings_with_a_logged_reason(
    client, editor, draft, newsroom
):
    _blocking(newsroom)
    _post(client, editor, draft, newsroom, editorial_override_reason="Quoting a sign verbatim.")
    draft.refresh_from_db()
    assert draft.live
    override = EditorialOverride.objects.get()
    assert (override.page_id, override.user, override.reason) == (
        draft.pk,
        editor,
        "Quoting a sign verbatim.",
    )
    assert override.findings[0]["text"] == "goverment"
    entry = PageLogEntry.objects.get(page=draft, action="editorial.override")
    assert entry.data["reason"] == "Quoting a sign verbatim."


def test_contributor_cannot_override(client, contributor, draft, newsroom):
    _blocking(newsroom)
    _post(client, contributor, draft, newsroom, editorial_override_reason="Trust me.")
    draft.refresh_from_db()
    assert not draft.live
    assert not EditorialOverride.objects.exists()


def test_warnings_do_not_stop_publishing(client, contributor, draft, newsroom):
    _post(client, contributor, draft, newsroom)
    draft.refresh_from_db()
    assert draft.live


def test_a_crashing_check_never_blocks_saving_or_publishing(client, editor, draft, newsroom):
    _blocking(newsroom, "names")
    broken = mock.Mock(side_effect=RuntimeError("boom"))
    with mock.patch.dict("masthead.editorial.engine.RULES", {"names": broken}):
        _post(client, editor, draft, newsroom)
        html = client.get(reverse("wagtailadmin_pages:edit", args=[draft.pk])).content.decode()
    draft.refresh_from_db()
    assert draft.live
    assert 'data-rule="names.internal_error"' in html


def test_checks_that_cannot_run_at_all_leave_saving_and_publishing_alone(
    client, editor, draft, newsroom
):
    _blocking(newsroom)
    with mock.patch(
        "masthead.editorial.services.story_from_page", side_effect=RuntimeError("boom")
    ):
        _post(client, editor, draft, newsroom)
        response = client.get(reverse("wagtailadmin_pages:edit", args=[draft.pk]))
    assert response.status_code == 200
    assert "The editorial checks could not run" in response.content.decode()
    draft.refresh_from_db()
    assert draft.live


def test_newsroom_dictionary_learns_from_published_stories_only(newsroom):
    newsroom.publish(title="Ouros visits Tesk", slug="a", body=[])
    newsroom.publish(title="Ouros returns to Tesk", slug="b", body=[])
    hidden = newsroom.publish(title="Zanthor plans", slug="c", body=[])
    hidden.unpublish()
    NewsroomWord.objects.create(word="interconnector")
    lexicon = newsroom_lexicon()
    assert lexicon.names["Ouros"] == 2
    assert "Zanthor" not in lexicon.names
    assert "Marevia" in lexicon.canonical  # a place topic
    assert "Castellan" in lexicon.canonical  # an author
    assert lexicon.is_word("interconnector")


def test_newsroom_dictionary_reads_only_the_newest_stories(newsroom, settings):
    settings.MASTHEAD_LEXICON_STORIES = 2
    newsroom.publish(title="Ouros visits Tesk", slug="a", body=[], days_ago=0.1)
    newsroom.publish(title="Ouros returns to Tesk", slug="b", body=[], days_ago=0.2)
    newsroom.publish(title="Zorvath speaks", slug="c", body=[], days_ago=500)
    lexicon = newsroom_lexicon()
    assert lexicon.names["Ouros"] == 2
    assert "Zorvath" not in lexicon.names


def test_admin_lists_and_settings_render(client, editor, newsroom):
    client.force_login(editor)
    NewsroomWord.objects.create(word="Saltholm", note="An island off Port Halden.")
    for name in ("editorialoverride", "newsroomword"):
        response = client.get(reverse(f"wagtailsnippets_editorial_{name}:list"))
        assert response.status_code == 200
    assert "Saltholm" in response.content.decode()
    site = newsroom.home.get_site()
    response = client.get(
        reverse("wagtailsettings:edit", args=["editorial", "editorialsettings", site.pk])
    )
    assert response.status_code == 200
    assert "name consistency" in response.content.decode().lower()


def test_new_story_with_blocking_findings_is_created_as_a_draft(client, editor, newsroom):
    _blocking(newsroom)
    client.force_login(editor)
    add_url = reverse("wagtailadmin_pages:add", args=["articles", "articlepage", newsroom.news.pk])
    assert "data-editorial-findings" in client.get(add_url).content.decode()
    data = article_form_data(
        "A new story",
        "a-new-story",
        "Ministers meet again.",
        paragraphs=[MISSPELT],
        authors=[newsroom.reporter],
        topics=[newsroom.energy],
        lead_image=newsroom.image,
    )
    data["action-publish"] = "action-publish"
    response = client.post(add_url, data)
    page = ArticlePage.objects.get(slug="a-new-story")
    assert response["Location"] == reverse("wagtailadmin_pages:edit", args=[page.pk])
    assert not page.live
    assert "goverment" in str(page.get_latest_revision_as_object().body)
    client.logout()
    assert client.get("/news/a-new-story/").status_code == 404


def test_live_check_reads_unsaved_changes_and_saves_nothing(
    client, editor, django_user_model, newsroom
):
    story = newsroom.publish(title="Talks resume", slug="live", revision=True)
    revisions = story.revisions.count()
    data = article_form_data(
        story.title,
        story.slug,
        "Ministers meet again.",
        paragraphs=["The parliment met in the the capital."],
        authors=[newsroom.reporter],
        topics=[newsroom.energy],
        lead_image=newsroom.image,
    )
    url = reverse("editorial_live_check", args=[story.pk])
    client.force_login(editor)
    html = client.get(reverse("wagtailadmin_pages:edit", args=[story.pk])).content.decode()
    assert f'data-live-url="{url}"' in html
    response = client.post(url, data)
    assert response.status_code == 200
    body = response.content.decode()
    assert "<mark>parliment</mark>" in body and "<kbd>parliament</kbd>" in body
    assert "<mark>the the</mark>" in body
    assert story.revisions.count() == revisions
    assert "parliment" not in str(ArticlePage.objects.get(pk=story.pk).body)
    assert client.get(url).status_code == 405
    outsider = django_user_model.objects.create_user("outsider", "o@example.org", "pw")
    outsider.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(outsider)
    refused = client.post(url, data)  # Wagtail turns PermissionDenied into a redirect
    assert (refused.status_code, refused["Location"]) == (302, "/admin/")
    client.logout()
    assert client.post(url, data).status_code == 302  # to the admin login


def test_panel_shows_both_spellings_each_where_it_occurs(client, editor, newsroom):
    story = newsroom.publish(title="Talks resume", slug="valek", revision=True)
    data = article_form_data(
        story.title,
        story.slug,
        "Ministers meet again.",
        paragraphs=["Minister Irina Valek arrived on Monday.", "Later Vallek said no."],
        authors=[newsroom.reporter],
        topics=[newsroom.energy],
        lead_image=newsroom.image,
    )
    client.force_login(editor)
    body = client.post(reverse("editorial_live_check", args=[story.pk]), data).content.decode()
    assert "<mark>Vallek</mark>" in body
    assert 'data-other="Valek"' in body and "<mark>Valek</mark>" in body
    assert "Body, block 1:" in body  # where the other spelling is
    assert 'data-accept-word="Vallek" data-accept-also="Valek"' in body


def test_accept_as_correct_adds_the_word_for_the_whole_newsroom(client, editor, newsroom):
    url = reverse("editorial_accept_word")
    client.force_login(editor)
    assert newsroom_lexicon().is_word("Vallek") is False
    reply = client.post(url, {"word": "Vallek"})
    assert reply.status_code == 200 and reply.json()["ok"]
    word = NewsroomWord.objects.get(word="Vallek")
    assert "chief" in word.note
    # The dictionary is rebuilt on the next check: the name is now trusted.
    assert newsroom_lexicon().is_word("Vallek")
    assert "Vallek" in newsroom_lexicon().canonical
    again = client.post(url, {"word": "Vallek"})
    assert again.json()["ok"] and "already" in again.json()["message"]
    assert NewsroomWord.objects.filter(word="Vallek").count() == 1


def test_accepting_a_name_spelt_two_ways_keeps_both_as_two_names(client, editor, newsroom):
    from masthead.editorial.rules import RULES
    from masthead.editorial.story import build_story

    story = build_story("Talks", ["Both Hana and Mira spoke, Hana first.", "Then Hanna said no."])
    assert [f.text for f in RULES["names"](story, newsroom_lexicon())] == ["Hanna"]
    client.force_login(editor)
    reply = client.post(reverse("editorial_accept_word"), {"word": "Hanna", "also": "Hana"})
    assert reply.json()["words"] == ["Hanna", "Hana"]
    assert RULES["names"](story, newsroom_lexicon()) == []


@pytest.mark.parametrize("word", ["", "   ", "two words", "<script>", "x" * 81, "1999"])
def test_accept_as_correct_refuses_what_is_not_a_word(client, editor, newsroom, word):
    client.force_login(editor)
    reply = client.post(reverse("editorial_accept_word"), {"word": word})
    assert reply.status_code == 400
    assert "one word" in reply.json()["message"]
    assert not NewsroomWord.objects.exists()


def test_only_editors_accept_words(client, contributor, newsroom):
    client.force_login(contributor)
    reply = client.post(reverse("editorial_accept_word"), {"word": "Vallek"})
    assert reply.status_code == 403
    assert not NewsroomWord.objects.exists()
    html = client.get(reverse("wagtailadmin_pages:edit", args=[newsroom.stories[0].pk]))
    assert "data-accept-url" not in html.content.decode()
    client.logout()
    assert client.post(reverse("editorial_accept_word"), {"word": "Vallek"}).status_code == 302
    assert client.get(reverse("editorial_accept_word")).status_code in (302, 405)
