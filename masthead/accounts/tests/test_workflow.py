"""The newsroom's approval workflow, every transition tried through the admin by each role.

Contributors submit, editors (and administrators) approve or request changes with a
comment, the editorial checks run at approval, and nothing a contributor does can lock a
story against editors or push it live (issue 22, point 1).
"""

import datetime as dt
from unittest import mock

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from wagtail.models import (
    Page,
    PageLogEntry,
    TaskState,
    Workflow,
    WorkflowPage,
    WorkflowState,
)

from masthead.accounts.roles import ADMINISTRATORS, CONTRIBUTORS, EDITORS, give_role
from masthead.articles.models import ArticlePage
from masthead.articles.tests.form_data import article_form_data
from masthead.editorial.models import BLOCKING, EditorialOverride, EditorialSettings
from masthead.operations import scheduler

pytestmark = pytest.mark.django_db

CLEAN = "The quay was rebuilt in six weeks, the harbour master said."
MISSPELT = "The goverment said the quay is safe."


@pytest.fixture
def people(django_user_model):
    users = {}
    for name, role in (
        ("contributor", CONTRIBUTORS),
        ("editor", EDITORS),
        ("administrator", ADMINISTRATORS),
    ):
        user = django_user_model.objects.create_user(name, f"{name}@example.org", "pw")
        give_role(user, role)
        client = Client()
        client.force_login(user)
        users[name] = client
    return users


def _form(newsroom, page, paragraph=CLEAN, authors=None, **extra):
    return article_form_data(
        page.title,
        page.slug,
        "Port officials say boats can return.",
        paragraphs=[paragraph],
        # The stories already have a byline and topics: the form adds only new rows
        # (``authors=[]`` once an earlier form of the test added the columnist).
        authors=[newsroom.columnist] if authors is None else authors,
        lead_image=newsroom.image,
        caption="The quay at dawn",
        credit="Ledger staff",
        **extra,
    )


def _submit(client, newsroom, page, paragraph=CLEAN, **form):
    data = _form(newsroom, page, paragraph, **form)
    data["action-submit"] = "action-submit"
    return client.post(reverse("wagtailadmin_pages:edit", args=[page.pk]), data)


def _task_state(page) -> TaskState:
    return Page.objects.get(pk=page.pk).current_workflow_task_state


def _act(client, page, action, comment=""):
    task_state = _task_state(page)
    url = reverse("wagtailadmin_pages:workflow_action", args=[page.pk, action, task_state.pk])
    return client.post(url, {"comment": comment})


def _in_review(page) -> bool:
    return Page.objects.get(pk=page.pk).workflow_in_progress


def test_the_newsroom_workflow_is_the_only_one_and_covers_every_page():
    assert list(Workflow.objects.filter(active=True).values_list("name", flat=True)) == [
        "Newsroom approval"
    ]
    root = Page.objects.get(depth=1)
    assert WorkflowPage.objects.get(page=root).workflow.name == "Newsroom approval"
    task = Workflow.objects.get(active=True).tasks.get().specific
    assert sorted(task.groups.values_list("name", flat=True)) == [ADMINISTRATORS, EDITORS]


def test_a_contributor_submission_does_not_lock_a_live_story_against_editors(newsroom, people):
    story = newsroom.stories[0]
    live_title = ArticlePage.objects.get(pk=story.pk).title
    response = _submit(people["contributor"], newsroom, story)
    assert response.status_code == 302
    assert _in_review(story)
    # The live version is untouched by a submission.
    assert ArticlePage.objects.get(pk=story.pk).live
    assert ArticlePage.objects.get(pk=story.pk).title == live_title
    editor = people["editor"]
    edit_page = editor.get(reverse("wagtailadmin_pages:edit", args=[story.pk]))
    assert "could not be saved as it is locked" not in edit_page.content.decode()
    data = _form(newsroom, story, "An editor's own change to the story.")
    assert editor.post(reverse("wagtailadmin_pages:edit", args=[story.pk]), data).status_code == 302
    latest = ArticlePage.objects.get(pk=story.pk).get_latest_revision()
    assert latest.user.username == "editor"
    # Unpublishing is still offered and works.
    response = editor.post(reverse("wagtailadmin_pages:unpublish", args=[story.pk]))
    assert response.status_code == 302
    assert not ArticlePage.objects.get(pk=story.pk).live


def test_a_submitted_live_story_stays_in_the_editors_hands(newsroom, people):
    """Bulk unpublish still offers it, and editors lock and unlock it (issue 22, point 1)."""
    story = newsroom.stories[0]
    _submit(people["contributor"], newsroom, story)
    editor = people["editor"]
    lock = reverse("wagtailadmin_pages:lock", args=[story.pk])
    assert editor.post(lock).status_code == 302
    assert Page.objects.get(pk=story.pk).locked
    unlock = reverse("wagtailadmin_pages:unlock", args=[story.pk])
    assert editor.post(unlock).status_code == 302
    assert not Page.objects.get(pk=story.pk).locked
    url = reverse("wagtail_bulk_action", args=["wagtailcore", "page", "unpublish"])
    offered = editor.get(f"{url}?id={story.pk}").content.decode()
    assert story.title in offered
    editor.post(f"{url}?id={story.pk}", {"include_descendants": ""})
    assert not ArticlePage.objects.get(pk=story.pk).live


def test_a_contributor_cancels_their_own_submission(newsroom, people):
    story = newsroom.stories[2]
    _submit(people["contributor"], newsroom, story)
    # The submission added the byline row: the form now sends no new ones.
    data = article_form_data(
        story.title,
        story.slug,
        "Port officials say boats can return.",
        paragraphs=[CLEAN],
        lead_image=newsroom.image,
        caption="The quay at dawn",
        credit="Ledger staff",
    )
    data["action-cancel-workflow"] = "true"
    response = people["contributor"].post(reverse("wagtailadmin_pages:edit", args=[story.pk]), data)
    assert response.status_code in (200, 302)  # Wagtail shows the edit form again
    assert WorkflowState.objects.get(object_id=str(story.pk)).status == "cancelled"
    assert not _in_review(story)


@pytest.mark.parametrize("approver", ["editor", "administrator"])
def test_an_editor_approves_and_the_submitted_version_goes_live(newsroom, people, approver):
    story = newsroom.stories[1]
    _submit(people["contributor"], newsroom, story)
    response = _act(people[approver], story, "approve")
    assert response.status_code == 302
    assert not _in_review(story)
    live = ArticlePage.objects.get(pk=story.pk)
    assert live.live and not live.has_unpublished_changes
    assert CLEAN in str(live.body)
    assert WorkflowState.objects.get(object_id=str(story.pk)).status == "approved"


def test_a_contributor_cannot_approve_or_reject_a_submission(newsroom, people):
    story = newsroom.stories[2]
    _submit(people["contributor"], newsroom, story)
    before = ArticlePage.objects.get(pk=story.pk).live_revision_id
    for action in ("approve", "reject"):
        response = _act(people["contributor"], story, action, "looks fine to me")
        assert response.status_code in (302, 403)
        assert _in_review(story), action
    assert ArticlePage.objects.get(pk=story.pk).live_revision_id == before


def test_an_editor_requests_changes_with_a_comment(newsroom, people):
    story = newsroom.stories[3]
    live_revision = ArticlePage.objects.get(pk=story.pk).live_revision_id
    _submit(people["contributor"], newsroom, story)
    task_state = _task_state(story)
    response = _act(people["editor"], story, "reject", "Name the harbour master, please.")
    assert response.status_code == 302
    task_state.refresh_from_db()
    assert task_state.status == "rejected"
    assert task_state.comment == "Name the harbour master, please."
    state = WorkflowState.objects.get(object_id=str(story.pk))
    assert state.status == "needs_changes"
    assert ArticlePage.objects.get(pk=story.pk).live_revision_id == live_revision
    # The contributor resubmits; the editor approves the new version.
    _submit(people["contributor"], newsroom, story, "The harbour master, Ana Soto, said so.")
    assert _in_review(story)
    _act(people["editor"], story, "approve")
    assert "Ana Soto" in str(ArticlePage.objects.get(pk=story.pk).body)


@pytest.fixture
def spelling_blocks(newsroom):
    settings = EditorialSettings.for_site(newsroom.home.get_site())
    settings.spelling = BLOCKING
    settings.save()


def test_approval_runs_the_editorial_checks(newsroom, people, spelling_blocks):
    story = newsroom.stories[4]
    live_revision = ArticlePage.objects.get(pk=story.pk).live_revision_id
    _submit(people["contributor"], newsroom, story, MISSPELT)
    task_state = _task_state(story)
    _act(people["editor"], story, "approve")
    task_state.refresh_from_db()
    # Not approved: sent back with the findings as the comment; nothing went live.
    assert task_state.status == "rejected"
    assert "blocking editorial findings" in task_state.comment
    assert "goverment" in task_state.comment
    assert ArticlePage.objects.get(pk=story.pk).live_revision_id == live_revision
    assert not EditorialOverride.objects.exists()


def test_an_editor_approves_past_the_checks_with_a_reason(newsroom, people, spelling_blocks):
    story = newsroom.stories[5]
    _submit(people["contributor"], newsroom, story, MISSPELT)
    _act(people["editor"], story, "approve", "Quoting a sign verbatim.")
    assert not _in_review(story)
    assert "goverment" in str(ArticlePage.objects.get(pk=story.pk).body)
    override = EditorialOverride.objects.get(page_id=story.pk)
    assert override.reason == "Quoting a sign verbatim." and override.user.username == "editor"


def _bulk_publish(client, page):
    url = reverse("wagtail_bulk_action", args=["wagtailcore", "page", "publish"])
    return client.post(f"{url}?id={page.pk}", {"include_descendants": ""})


def test_bulk_publish_does_not_push_a_submitted_version_live(newsroom, people):
    story = newsroom.stories[6]
    live_revision = ArticlePage.objects.get(pk=story.pk).live_revision_id
    _submit(people["contributor"], newsroom, story, "A contributor's unapproved version.")
    response = _bulk_publish(people["editor"], story)
    assert response.status_code == 302
    assert ArticlePage.objects.get(pk=story.pk).live_revision_id == live_revision
    assert _in_review(story)


def test_bulk_publish_does_not_skip_blocking_findings(newsroom, people, spelling_blocks):
    story = newsroom.stories[7]
    editor = people["editor"]
    data = _form(newsroom, story, MISSPELT)
    editor.post(reverse("wagtailadmin_pages:edit", args=[story.pk]), data)  # a draft
    live_revision = ArticlePage.objects.get(pk=story.pk).live_revision_id
    _bulk_publish(editor, story)
    assert ArticlePage.objects.get(pk=story.pk).live_revision_id == live_revision


def test_bulk_publish_of_a_clean_draft_still_works(newsroom, people):
    story = newsroom.stories[7]
    editor = people["editor"]
    editor.post(reverse("wagtailadmin_pages:edit", args=[story.pk]), _form(newsroom, story))
    _bulk_publish(editor, story)
    page = ArticlePage.objects.get(pk=story.pk)
    assert CLEAN in str(page.body) and not page.has_unpublished_changes


# --- The publishing gate refuses the approval --------------------------------------------

GATE_REASON = "The story is under a legal hold until the court rules."


@pytest.fixture
def gate_refuses():
    """A publishing gate (masthead.operations.gate) that refuses every story it is asked about."""
    from wagtail import hooks

    from masthead.operations import gate

    def legal_hold(page, revision=None, user=None, road="publish"):
        return GATE_REASON

    with hooks.register_temporarily(gate.HOOK, legal_hold):
        yield


def _assert_still_waiting(story, live_revision):
    state = WorkflowState.objects.get(object_id=str(story.pk))
    assert state.status == "in_progress"
    assert state.current_task_state.status == "in_progress"
    assert _in_review(story)
    page = ArticlePage.objects.get(pk=story.pk)
    assert page.live_revision_id == live_revision
    assert not page.revisions.filter(approved_go_live_at__isnull=False).exists()


def test_a_gate_refusal_leaves_the_submission_waiting_and_tells_the_editor(
    newsroom, people, gate_refuses
):
    story = newsroom.stories[1]
    live_revision = ArticlePage.objects.get(pk=story.pk).live_revision_id
    _submit(people["contributor"], newsroom, story)
    task_state = _task_state(story)
    url = reverse("wagtailadmin_pages:workflow_action", args=[story.pk, "approve", task_state.pk])
    response = people["editor"].post(url, {"comment": ""}, follow=True)
    assert response.status_code == 200
    assert GATE_REASON in response.content.decode()
    _assert_still_waiting(story, live_revision)


def test_a_gate_refusal_in_the_approval_dialog_is_answered_in_the_dialog(
    newsroom, people, gate_refuses
):
    """The dashboard's "Approve with comment" posts from a dialog and expects its JSON."""
    story = newsroom.stories[1]
    live_revision = ArticlePage.objects.get(pk=story.pk).live_revision_id
    _submit(people["contributor"], newsroom, story)
    task_state = _task_state(story)
    url = reverse("wagtailadmin_pages:workflow_action", args=[story.pk, "approve", task_state.pk])
    editor = people["editor"]
    response = editor.post(url, {"comment": "Fine by me."}, HTTP_X_REQUESTED_WITH="XMLHttpRequest")
    assert response.status_code == 200
    answer = response.json()
    assert answer["step"] == "success"
    assert answer["redirect"] == reverse("wagtailadmin_pages:edit", args=[story.pk])
    _assert_still_waiting(story, live_revision)
    # The page the dialog sends the editor to says why.
    assert GATE_REASON in editor.get(answer["redirect"]).content.decode()


def test_a_gate_refusal_when_approving_from_the_editor_keeps_the_text(
    newsroom, people, gate_refuses
):
    story = newsroom.stories[1]
    live_revision = ArticlePage.objects.get(pk=story.pk).live_revision_id
    _submit(people["contributor"], newsroom, story)
    data = _form(newsroom, story, "The editor's last touch before approving.")
    data["action-workflow-action"] = "true"
    data["workflow-action-name"] = "approve"
    data["workflow-action-extra-data"] = '{"comment": ""}'
    editor = people["editor"]
    response = editor.post(reverse("wagtailadmin_pages:edit", args=[story.pk]), data, follow=True)
    assert response.status_code == 200
    assert GATE_REASON in response.content.decode()
    _assert_still_waiting(story, live_revision)
    # The editor's change is kept as the latest revision, waiting like the rest.
    latest = ArticlePage.objects.get(pk=story.pk).get_latest_revision()
    assert "last touch" in str(latest.content) and latest.user.username == "editor"


def test_approval_checks_the_version_that_would_go_live(newsroom, people, spelling_blocks):
    """An editor's later draft, not only the submitted one, is what approval publishes."""
    story = newsroom.stories[2]
    live_revision = ArticlePage.objects.get(pk=story.pk).live_revision_id
    _submit(people["contributor"], newsroom, story)  # clean
    editor = people["editor"]
    editor.post(
        reverse("wagtailadmin_pages:edit", args=[story.pk]), _form(newsroom, story, MISSPELT)
    )
    task_state = _task_state(story)
    response = _act(editor, story, "approve")
    assert response.status_code == 302
    page = ArticlePage.objects.get(pk=story.pk)
    assert page.live_revision_id == live_revision
    assert "goverment" not in str(page.body)
    # Sent back naming the finding in the version it would have published.
    task_state.refresh_from_db()
    assert task_state.status == "rejected" and "goverment" in task_state.comment
    # Approving with a reason overrides the findings of that version, which goes live.
    _submit(people["contributor"], newsroom, story)
    editor.post(
        reverse("wagtailadmin_pages:edit", args=[story.pk]), _form(newsroom, story, MISSPELT)
    )
    _act(editor, story, "approve", "The sign really says so.")
    assert "goverment" in str(ArticlePage.objects.get(pk=story.pk).body)
    assert WorkflowState.objects.filter(object_id=str(story.pk), status="approved").exists()


def test_the_editor_is_told_why_an_approval_was_sent_back(newsroom, people, spelling_blocks):
    story = newsroom.stories[4]
    _submit(people["contributor"], newsroom, story, MISSPELT)
    task_state = _task_state(story)
    url = reverse("wagtailadmin_pages:workflow_action", args=[story.pk, "approve", task_state.pk])
    # From the dashboard ("Awaiting your review"), which the editor returns to.
    response = people["editor"].post(url, {"comment": "", "next": "/admin/"}, follow=True)
    assert response.request["PATH_INFO"] == "/admin/"
    html = response.content.decode()
    assert "Not approved" in html and "goverment" in html
    assert "went back to its author" in html


def test_a_refused_approval_of_a_new_story_sends_it_back_and_a_fixed_one_goes_live(
    newsroom, people, spelling_blocks
):
    """A never-published story with a blocking finding: "Approve and publish" is refused,
    the workflow is not left approved but back with its author (changes requested, the
    findings as the comment), and approving the fixed, resubmitted story publishes it."""
    data = article_form_data(
        "Harbour reopens",
        "harbour-reopens",
        "Port officials say boats can return.",
        paragraphs=[MISSPELT],
        authors=[newsroom.reporter],
        topics=[newsroom.energy],
        lead_image=newsroom.image,
        caption="The quay at dawn",
        credit="Ledger staff",
    )
    data["action-submit"] = "action-submit"
    add = reverse("wagtailadmin_pages:add", args=["articles", "articlepage", newsroom.news.pk])
    assert people["contributor"].post(add, data).status_code == 302
    story = ArticlePage.objects.get(slug="harbour-reopens")
    assert not story.live and _in_review(story)
    task_state = _task_state(story)
    url = reverse("wagtailadmin_pages:workflow_action", args=[story.pk, "approve", task_state.pk])
    response = people["editor"].post(url, {"comment": ""}, follow=True)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Not approved" in html and "goverment" in html  # the approver sees why
    story.refresh_from_db()
    assert not story.live and story.live_revision_id is None
    state = WorkflowState.objects.get(object_id=str(story.pk))
    assert state.status == WorkflowState.STATUS_NEEDS_CHANGES  # not approved
    task_state.refresh_from_db()
    assert task_state.status == TaskState.STATUS_REJECTED
    assert "goverment" in task_state.comment  # the author sees it on the story
    assert not WorkflowState.objects.filter(object_id=str(story.pk), status="approved").exists()
    # The reporter fixes the finding and resubmits; approving again publishes.
    # The byline and topics rows are saved: the form sends no new ones.
    assert _submit(people["contributor"], newsroom, story, CLEAN, authors=[]).status_code == 302
    assert _in_review(story)
    assert _act(people["editor"], story, "approve").status_code == 302
    story = ArticlePage.objects.get(pk=story.pk)
    assert story.live and CLEAN in str(story.body) and "goverment" not in str(story.body)
    assert WorkflowState.objects.filter(object_id=str(story.pk), status="approved").exists()


def test_a_scheduled_approval_refused_at_its_time_goes_back_to_its_author(
    newsroom, people, gate_after_approval, django_user_model
):
    """Approved for later, refused by the gate when its time comes: held back, and the
    story's workflow is not left approved but back with its author with the reason."""
    # Wagtail mails superusers on every submission too (``workflow_submitted``).
    django_user_model.objects.create_superuser("chief", "chief@example.org", "pw")
    story = newsroom.stories[3]
    live_revision = ArticlePage.objects.get(pk=story.pk).live_revision_id
    go_live = timezone.now() + dt.timedelta(hours=1)
    data = _form(newsroom, story, "The quay reopens at noon, the harbour master said.")
    data["go_live_at"] = timezone.localtime(go_live).strftime("%Y-%m-%d %H:%M")
    data["action-submit"] = "action-submit"
    edit = reverse("wagtailadmin_pages:edit", args=[story.pk])
    assert people["contributor"].post(edit, data).status_code == 302
    assert _act(people["editor"], story, "approve").status_code == 302
    page = ArticlePage.objects.get(pk=story.pk)
    assert page.revisions.filter(approved_go_live_at__isnull=False).exists()  # scheduled
    assert WorkflowState.objects.get(object_id=str(story.pk)).status == "approved"
    gate_after_approval.refuse = True  # e.g. a legal hold arrives before its time
    mail.outbox.clear()
    with mock.patch("django.utils.timezone.now", return_value=go_live + dt.timedelta(hours=1)):
        assert scheduler.run_once()
        scheduler.run_once()  # the next pass sends nothing back twice
    page = ArticlePage.objects.get(pk=story.pk)
    assert page.live_revision_id == live_revision  # held back
    # Unscheduled, so the author can edit it (Wagtail locks a scheduled page).
    assert not page.revisions.filter(approved_go_live_at__isnull=False).exists()
    assert PageLogEntry.objects.filter(page=page, action="wagtail.schedule.cancel").exists()
    states = WorkflowState.objects.filter(object_id=str(story.pk)).order_by("created_at")
    assert [s.status for s in states] == ["approved", "needs_changes"]
    current = page.current_workflow_state
    assert current is not None and current.status == "needs_changes"
    assert current.requested_by.username == "contributor"
    rejected = current.current_task_state
    assert rejected.status == TaskState.STATUS_REJECTED and GATE_REASON in rejected.comment
    # The author is told by Wagtail's "changes requested" email, with the reasons; nobody
    # submitted anything, so the approvers get no "submitted for moderation" email.
    assert [m.to for m in mail.outbox] == [["contributor@example.org"]]
    (told,) = mail.outbox
    assert "rejected" in told.subject and GATE_REASON in told.body
    assert "Not published at its scheduled time" in told.body
    # Shown on the story's edit page to whoever opens it.
    assert GATE_REASON in people["contributor"].get(edit).content.decode()
    # The author fixes it and resubmits; the editor approves and it goes out.
    gate_after_approval.refuse = False
    # The first submission added the byline row: the form now sends no new ones.
    noon = "The quay reopens at noon, the harbour master said."
    assert _submit(people["contributor"], newsroom, story, noon, authors=[]).status_code == 302
    assert _in_review(story)
    assert _act(people["editor"], story, "approve").status_code == 302
    page = ArticlePage.objects.get(pk=story.pk)
    assert page.live_revision_id != live_revision and "at noon" in str(page.body)
    assert page.current_workflow_state is None


def test_a_real_submission_still_mails_the_approvers_once_each(newsroom, people, django_user_model):
    """The scheduler's send-back silences Wagtail's "submitted" emails; a contributor's
    submission still sends them: the task's to its approvers, the workflow's to
    superusers, one of each."""
    django_user_model.objects.create_superuser("chief", "chief@example.org", "pw")
    story = newsroom.stories[2]
    mail.outbox.clear()
    assert _submit(people["contributor"], newsroom, story).status_code == 302
    sent = sorted(
        (m.to[0], "moderation stage" in m.subject, "submitted to workflow" in m.subject)
        for m in mail.outbox
    )
    assert sent == [
        ("administrator@example.org", True, False),
        ("chief@example.org", False, True),
        ("chief@example.org", True, False),
        ("editor@example.org", True, False),
    ]


def test_silenced_submission_notices_are_silenced_in_their_own_thread_only():
    """The flag is per thread (and per request): a real submission handled by another
    thread while the scheduler sends a story back is still mailed."""
    import threading

    from masthead.compat.submission_notices import (
        WorkflowSubmissionNotifier,
        without_submission_notices,
    )

    notifier, state = WorkflowSubmissionNotifier(), WorkflowState()
    elsewhere = []
    with without_submission_notices():
        assert not notifier.can_handle(state)
        thread = threading.Thread(target=lambda: elsewhere.append(notifier.can_handle(state)))
        thread.start()
        thread.join()
    assert elsewhere == [True]
    assert notifier.can_handle(state)  # and again here once the block is left


def test_a_version_an_editor_scheduled_after_an_approval_is_held_not_sent_back(
    newsroom, people, gate_after_approval
):
    """Only a version that approval scheduled is sent back: an editor's own later
    schedule is held and tried again at each pass, as without a workflow."""
    story = newsroom.stories[5]
    _submit(people["contributor"], newsroom, story)
    assert _act(people["editor"], story, "approve").status_code == 302  # live now
    go_live = timezone.now() + dt.timedelta(hours=1)
    data = _form(newsroom, story, "The editor's version for noon.", authors=[])
    data["go_live_at"] = timezone.localtime(go_live).strftime("%Y-%m-%d %H:%M")
    data["action-publish"] = "action-publish"
    edit = reverse("wagtailadmin_pages:edit", args=[story.pk])
    assert people["editor"].post(edit, data).status_code == 302
    page = ArticlePage.objects.get(pk=story.pk)
    assert page.revisions.filter(approved_go_live_at__isnull=False).exists()
    gate_after_approval.refuse = True
    later = go_live + dt.timedelta(hours=1)
    with mock.patch("django.utils.timezone.now", return_value=later):
        scheduler.run_once()
    page = ArticlePage.objects.get(pk=story.pk)
    assert "noon" not in str(page.body)  # held
    assert page.revisions.filter(approved_go_live_at__isnull=False).exists()  # still scheduled
    states = WorkflowState.objects.filter(object_id=str(story.pk))
    assert [s.status for s in states] == ["approved"]
    gate_after_approval.refuse = False
    with mock.patch("django.utils.timezone.now", return_value=later):
        scheduler.run_once()
    assert "noon" in str(ArticlePage.objects.get(pk=story.pk).body)


@pytest.fixture
def gate_after_approval():
    """A publishing gate that refuses once ``refuse`` is set (after the approval)."""
    from types import SimpleNamespace

    from wagtail import hooks

    from masthead.operations import gate

    switch = SimpleNamespace(refuse=False)

    def legal_hold(page, revision=None, user=None, road="publish"):
        return GATE_REASON if switch.refuse else None

    with hooks.register_temporarily(gate.HOOK, legal_hold):
        yield switch
