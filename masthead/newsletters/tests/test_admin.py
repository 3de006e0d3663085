"""The newsletter admin: issue state and figures, test send, CSV import and export."""

import re

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import TestCase

from masthead.background.worker import run_pending
from masthead.newsletters.factories import NewsletterFactory, SubscriptionFactory
from masthead.newsletters.models import Issue, Subscription

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor(admin_user):
    admin_user.email = "editor@ledger.example"
    admin_user.save()
    return admin_user


def _issue(newsletter):
    issue = Issue.objects.create(newsletter=newsletter, subject="Friday briefing", live=False)
    issue.save_revision()
    return issue


def test_issue_listing_shows_state_from_draft_to_sent(admin_client, newsroom):
    newsletter = NewsletterFactory()
    SubscriptionFactory.create_batch(3, newsletter=newsletter)
    issue = _issue(newsletter)
    listing = admin_client.get("/admin/snippets/newsletters/issue/").content.decode()
    assert "Friday briefing" in listing and "Draft" in listing
    with TestCase.captureOnCommitCallbacks(execute=True):
        issue.save_revision().publish()
    assert (
        "Sending 0 of 3" in admin_client.get("/admin/snippets/newsletters/issue/").content.decode()
    )
    run_pending()
    listing = admin_client.get("/admin/snippets/newsletters/issue/").content.decode()
    assert re.search(r">\s*Sent\s*<", listing)
    page = admin_client.get(f"/admin/newsletters/issue/{issue.pk}/sending/").content.decode()
    assert "3 of 3 sent" in page and "<svg" in page and "Opens are not counted" in page


def test_test_send_goes_to_the_editor_only(admin_client, editor, newsroom):
    newsletter = NewsletterFactory()
    SubscriptionFactory(newsletter=newsletter)
    issue = _issue(newsletter)
    response = admin_client.post(f"/admin/newsletters/issue/{issue.pk}/sending/")
    assert response.status_code == 302
    (message,) = mail.outbox
    assert message.to == ["editor@ledger.example"]
    assert message.subject == "[TEST] Friday briefing"
    assert not hasattr(issue, "send") or not Issue.objects.get(pk=issue.pk).__dict__.get("send")


def test_csv_import_keeps_consent_dates_and_refuses_rows_without(admin_client, newsroom):
    newsletter = NewsletterFactory()
    content = (
        b"email,confirmed_at\n"
        b"One@Example.org,2025-03-01T09:30:00Z\n"
        b"two@example.org,\n"
        b"not an address,2025-03-01T09:30:00Z\n"
        b"three@example.org,2025-04-02 10:00\n"
    )
    response = admin_client.post(
        "/admin/newsletters/subscribers/import/",
        {"newsletter": newsletter.pk, "file": SimpleUploadedFile("s.csv", content, "text/csv")},
    )
    body = response.content.decode()
    assert "2 subscribers imported" in body
    assert "Line 3: no consent date" in body and "Line 4:" in body
    one = Subscription.objects.get(subscriber__email="one@example.org")
    assert one.confirmed_at.isoformat().startswith("2025-03-01T09:30")
    assert one.source == "import"

    export = admin_client.get("/admin/newsletters/subscribers/export/")
    rows = b"".join(export.streaming_content).decode().splitlines()
    assert rows[0].startswith("email,newsletter,status,source,requested_at,confirmed_at")
    assert any(r.startswith("one@example.org,") and "2025-03-01T09:30:00+00:00" in r for r in rows)
    assert len(rows) == 3


def test_import_of_a_file_that_is_not_csv_text_is_refused_clearly(admin_client, newsroom):
    newsletter = NewsletterFactory()
    response = admin_client.post(
        "/admin/newsletters/subscribers/import/",
        {
            "newsletter": newsletter.pk,
            "file": SimpleUploadedFile("s.csv", b"\xff\xfe\x00bad", "text/csv"),
        },
        follow=True,
    )
    assert response.status_code == 200
    assert "not UTF-8" in response.content.decode()
    assert not Subscription.objects.exists()


def test_subscriber_listing_searches_and_filters_by_status(admin_client, newsroom):
    newsletter = NewsletterFactory()
    SubscriptionFactory(newsletter=newsletter, subscriber__email="findme@example.org")
    SubscriptionFactory(
        newsletter=newsletter, subscriber__email="gone@example.org", status="bounced"
    )
    found = admin_client.get("/admin/snippets/newsletters/subscriber/?q=findme").content.decode()
    assert "findme@example.org" in found and "gone@example.org" not in found
    bounced = admin_client.get(
        "/admin/snippets/newsletters/subscriber/?subscriptions__status=bounced"
    ).content.decode()
    assert "gone@example.org" in bounced and "findme@example.org" not in bounced


def test_editors_without_permission_cannot_export(client, django_user_model, newsroom):
    user = django_user_model.objects.create_user("reader", password="pw")
    client.force_login(user)
    response = client.get("/admin/newsletters/subscribers/export/")
    assert response.status_code in (302, 403)


def test_editorial_checks_run_on_the_written_parts(admin_client, newsroom):
    from masthead.newsletters.checks import issue_findings

    newsletter = NewsletterFactory()
    issue = Issue.objects.create(
        newsletter=newsletter,
        subject="Friday briefing",
        intro="<p>The minister siad the port will open in May.</p>",
        body=[{"type": "text", "value": {"heading": "", "text": "<p>Officals welcomed it.</p>"}}],
        live=False,
    )
    words = {f.text for f in issue_findings(issue)}
    assert {"siad", "Officals"} <= words
    page = admin_client.get(f"/admin/newsletters/issue/{issue.pk}/sending/").content.decode()
    assert "siad" in page and "Officals" in page


def test_blocking_checks_refuse_to_save_an_issue(newsroom, monkeypatch):
    from django.core.exceptions import ValidationError

    from masthead.editorial import services

    monkeypatch.setattr(services, "levels_for", lambda site: {"spelling": "blocking"})
    issue = Issue(
        newsletter=NewsletterFactory(), subject="Harbour deal", intro="<p>He siad no.</p>"
    )
    with pytest.raises(ValidationError):
        issue.full_clean()


def test_editors_may_write_and_send_issues_but_not_change_lists(
    client, django_user_model, newsroom
):
    from masthead.accounts.roles import EDITORS, give_role

    user = django_user_model.objects.create_user("ed", password="pw", email="ed@ledger.example")
    give_role(user, EDITORS)
    client.force_login(user)
    assert user.has_perm("newsletters.publish_issue") and user.has_perm("newsletters.add_issue")
    assert not user.has_perm("newsletters.change_newsletter")
    assert client.get("/admin/snippets/newsletters/issue/").status_code == 200
    assert client.get("/admin/newsletters/subscribers/export/").status_code == 200
