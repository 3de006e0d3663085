"""The publishing gate holds on every road to live: Revision.publish, scheduling, the
scheduler's pass, workflow approval and the admin; an import passes under a logged
override."""

import datetime as dt
import logging
from unittest import mock

import pytest
from django.urls import reverse
from django.utils import timezone
from wagtail import hooks
from wagtail.models import PageLogEntry

from masthead.articles.factories import ArticlePageFactory
from masthead.articles.models import ArticlePage
from masthead.compat.publishing import override
from masthead.operations import gate, scheduler

pytestmark = pytest.mark.django_db

roads: list[str] = []


def refuse_embargoed(page, revision=None, user=None, road="publish"):
    roads.append(road)
    if "Embargoed" in page.title:
        return "The headline says it is embargoed."
    return None


@pytest.fixture
def refusing_gate():
    roads.clear()
    with hooks.register_temporarily(gate.HOOK, refuse_embargoed):
        yield roads


def _draft(newsroom, title="Embargoed budget story", slug="budget"):
    return ArticlePageFactory(parent=newsroom.news, live=False, slug=slug, title=title)


def test_revision_publish_is_refused_and_the_story_stays_a_draft(newsroom, refusing_gate):
    story = _draft(newsroom)
    with pytest.raises(gate.PublishRefused, match="embargoed"):
        story.save_revision().publish()
    story.refresh_from_db()
    assert not story.live
    assert refusing_gate == ["publish"]


def test_scheduling_a_refused_story_is_refused(newsroom, refusing_gate):
    story = _draft(newsroom)
    story.go_live_at = timezone.now() + dt.timedelta(hours=1)
    with pytest.raises(gate.PublishRefused):
        story.save_revision().publish()
    assert refusing_gate == ["schedule"]
    assert not ArticlePage.objects.get(pk=story.pk).live


def test_the_scheduler_holds_a_refused_story_and_logs_it_once(newsroom, refusing_gate):
    story = _draft(newsroom, title="Budget story")
    go_live = timezone.now() + dt.timedelta(minutes=10)
    story.go_live_at = go_live
    story.save_revision().publish()  # scheduled while it passed
    # Edited into a refused state behind the gate's back (a script, an old revision).
    revision = story.latest_revision
    revision.content["title"] = "Embargoed budget story"
    revision.save(update_fields=["content"])
    later = go_live + dt.timedelta(seconds=5)
    with mock.patch("django.utils.timezone.now", return_value=later):
        assert scheduler.run_once()
        assert scheduler.run_once()  # the next pass tries again, logs nothing new
    story.refresh_from_db()
    assert not story.live
    assert "scheduler" in refusing_gate
    held = PageLogEntry.objects.filter(page=story, action=gate.HELD_ACTION)
    assert held.count() == 1
    assert "embargoed" in held.get().data["reasons"][0]


def test_an_import_passes_under_an_override_logged_once(newsroom, refusing_gate, caplog):
    caplog.set_level(logging.WARNING, logger="masthead.publishing")
    first, second = _draft(newsroom), _draft(newsroom, title="Embargoed second", slug="second")
    with override("import", "posts already published elsewhere"):
        first.save_revision().publish()
        second.save_revision().publish()
    assert ArticlePage.objects.get(pk=first.pk).live and ArticlePage.objects.get(pk=second.pk).live
    assert caplog.text.count("Publishing gate overridden") == 1
    assert PageLogEntry.objects.filter(action=gate.OVERRIDE_ACTION).count() == 1
    with pytest.raises(ValueError), override("import", " "):
        pass


def test_the_admin_gets_a_message_not_an_error(client, django_user_model, newsroom, refusing_gate):
    from masthead.articles.tests.form_data import article_form_data

    editor = django_user_model.objects.create_superuser("chief", "chief@example.org", "pw")
    client.force_login(editor)
    story = _draft(newsroom)
    story.save_revision()
    data = article_form_data(
        story.title,
        story.slug,
        "Ministers meet again.",
        paragraphs=["The ministers met."],
        authors=[newsroom.reporter],
        topics=[newsroom.energy],
        lead_image=newsroom.image,
    )
    data["action-publish"] = "action-publish"
    response = client.post(reverse("wagtailadmin_pages:edit", args=[story.pk]), data, follow=True)
    assert response.status_code == 200
    assert "embargoed" in response.content.decode()
    assert not ArticlePage.objects.get(pk=story.pk).live


def test_workflow_approval_does_not_put_a_refused_story_live(
    client, django_user_model, newsroom, refusing_gate
):
    from wagtail.models import (
        GroupApprovalTask,
        TaskState,
        Workflow,
        WorkflowPage,
        WorkflowState,
        WorkflowTask,
    )

    editor = django_user_model.objects.create_superuser("chief", "chief@example.org", "pw")
    task = GroupApprovalTask.objects.create(name="Desk")
    workflow = Workflow.objects.create(name="Copy desk")
    WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=0)
    WorkflowPage.objects.create(workflow=workflow, page=newsroom.home)
    story = _draft(newsroom)
    story.save_revision(user=editor)
    state = workflow.start(story, editor)
    with pytest.raises(gate.PublishRefused):
        state.current_task_state.approve(user=editor)
    assert not ArticlePage.objects.get(pk=story.pk).live
    # The approval itself was undone with the publish: still waiting, nothing scheduled.
    state = WorkflowState.objects.get(pk=state.pk)
    assert state.status == WorkflowState.STATUS_IN_PROGRESS
    assert state.current_task_state.status == TaskState.STATUS_IN_PROGRESS
    assert not PageLogEntry.objects.filter(page=story, action="wagtail.workflow.approve").exists()


def test_editorial_checks_are_a_gate(newsroom):
    from masthead.editorial.findings import BLOCKING
    from masthead.editorial.models import EditorialSettings

    settings = EditorialSettings.for_site(newsroom.home.get_site())
    settings.spelling = BLOCKING
    settings.save()
    story = ArticlePageFactory(
        parent=newsroom.news,
        live=False,
        slug="talks",
        title="Talks resume",
        body=[("paragraph", "<p>The goverment said talks would resume next week.</p>")],
    )
    assert any("blocking editorial" in r for r in gate.reasons(story))
