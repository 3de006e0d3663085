"""The admin's first screen shows the desk: scheduled, waiting, most read, corrections."""

import datetime as dt

import pytest
from django.utils import timezone

from masthead.articles.factories import ArticlePageFactory
from masthead.articles.models import Correction
from masthead.discovery.models import ArticleView

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor(client, django_user_model):
    user = django_user_model.objects.create_superuser("desk", "desk@example.org", "pw")
    client.force_login(user)
    return user


def test_dashboard_lists_what_the_desk_needs_each_linked_to_its_editor(client, newsroom, editor):
    now = timezone.now()
    scheduled = ArticlePageFactory(parent=newsroom.news, live=False, title="Tonight's council vote")
    scheduled.go_live_at = now + dt.timedelta(minutes=30)
    scheduled.save_revision().publish()
    draft = ArticlePageFactory(parent=newsroom.news, live=False, title="Ferry timetable draft")
    draft.save_revision()
    read = newsroom.stories[2]
    ArticleView.objects.create(article=read, day=timezone.localdate(), views=420)
    Correction.objects.create(page=newsroom.stories[1], text="The mayor's name was misspelt.")

    html = client.get("/admin/").content.decode()
    desk = html.split('class="news-desk"')[1]
    assert f'/admin/pages/{scheduled.pk}/edit/">Tonight&#x27;s council vote' in desk
    assert f'/admin/pages/{draft.pk}/edit/">Ferry timetable draft' in desk
    assert f'/admin/pages/{read.pk}/edit/">{read.title}</a>' in desk and "420 views" in desk
    assert "The mayor&#x27;s name was misspelt." in desk


def test_an_empty_newsroom_gets_a_calm_dashboard(client, editor, db):
    response = client.get("/admin/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Nothing scheduled for today." in html and "No corrections." in html


def test_stories_held_by_blocking_findings_are_listed_with_the_first_finding(
    client, newsroom, editor
):
    from masthead.articles.factories import body_from_paragraphs
    from masthead.editorial.findings import BLOCKING
    from masthead.editorial.models import EditorialSettings

    settings = EditorialSettings.for_site(newsroom.home.get_site())
    settings.spelling = BLOCKING
    settings.save()
    misspelt = ArticlePageFactory(
        parent=newsroom.news,
        live=False,
        title="Budget talks",
        body=body_from_paragraphs(["The goverment met the unions on Tuesday."]),
    )
    misspelt.save_revision()
    clean = ArticlePageFactory(
        parent=newsroom.news,
        live=False,
        title="Ferry timetable",
        body=body_from_paragraphs(["The ferry leaves at noon."]),
    )
    clean.save_revision()
    # A live story whose unpublished edit brings the mistake in is held too.
    live = newsroom.stories[0]
    live.body = body_from_paragraphs(["The goverment answered."])
    live.save_revision()

    html = client.get("/admin/").content.decode()
    blocked = html.split(">Blocked by the editorial checks</h3>")[1].split("</section>")[0]
    assert f'/admin/pages/{misspelt.pk}/edit/">Budget talks' in blocked
    assert f'/admin/pages/{live.pk}/edit/"' in blocked
    assert "goverment" in blocked
    assert "Ferry timetable" not in blocked
