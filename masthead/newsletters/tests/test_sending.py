"""An issue published in the admin reaches a real SMTP server, one message per reader."""

import re

import pytest
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from wagtail.models import Site

from masthead.background.worker import run_pending
from masthead.newsletters.factories import NewsletterFactory, SubscriptionFactory
from masthead.newsletters.models import Delivery, Issue, Send, Subscription
from masthead.newsletters.sending import figures

from . import smtp

pytestmark = pytest.mark.django_db


@pytest.fixture
def smtp_server(settings):
    controller, keeper = smtp.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", controller.port
    settings.EMAIL_USE_TLS = False
    settings.DEFAULT_FROM_EMAIL = "newsroom@ledger.example"
    yield keeper
    controller.stop()


@pytest.fixture
def newsletter(newsroom):
    site = Site.objects.get(is_default_site=True)
    site.hostname, site.port = "ledger.example", 443
    site.save()
    return NewsletterFactory(name="Morning briefing", slug="morning", site=site)


def _issue(newsletter, body, **kwargs) -> Issue:
    issue = Issue(
        newsletter=newsletter,
        subject=kwargs.pop("subject", "Harbour deal, border talks"),
        intro="<p>Good morning. Three stories you need today.</p>",
        body=[{"type": kind, "value": value} for kind, value in body],
        live=False,
        **kwargs,
    )
    issue.save()
    return issue


def _publish(issue):
    from django.test import TestCase

    # The send is queued when the publish commits; the test's transaction never does.
    with TestCase.captureOnCommitCallbacks(execute=True):
        issue.save_revision().publish()


def test_published_issue_reaches_each_reader_once_with_headers_parts_and_links(
    client, newsroom, newsletter, smtp_server
):
    story = newsroom.publish(title="Harbour deal signed", standfirst="The port opens in May.")
    readers = [SubscriptionFactory(newsletter=newsletter).subscriber for _ in range(3)]
    SubscriptionFactory(newsletter=newsletter, status=Subscription.Status.UNSUBSCRIBED)
    issue = _issue(newsletter, [("stories", {"heading": "Top", "stories": [story.pk]})])
    _publish(issue)
    send = Send.objects.get(issue=issue)
    assert send.total == 3
    assert run_pending() >= 1

    messages = smtp_server.parsed()
    assert sorted(m["To"] for m in messages) == sorted(r.email for r in readers)
    for message in messages:
        assert message["From"].addresses[0].addr_spec == "newsroom@ledger.example"
        assert message["Message-ID"].startswith(f"<issue{send.pk}.")
        assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
        (unsubscribe,) = re.findall(
            r"<(https://ledger\.example/newsletters/unsubscribe/[^>]+)>",
            message["List-Unsubscribe"],
        )
        text = message.get_body(("plain",)).get_content()
        html = message.get_body(("html",)).get_content()
        assert "Harbour deal signed" in text and "Harbour deal signed" in html
        assert "https://ledger.example/news/" in html
        assert unsubscribe.replace("&", "&amp;") in html or unsubscribe in html
        assert "%%MASTHEAD" not in html + text
    sent = figures(send)
    assert sent["sent"] == 3 and sent["queued"] == 0
    assert Send.objects.get(pk=send.pk).status == Send.Status.SENT

    # The one-click POST a mail program makes unsubscribes that reader from that list.
    message = messages[0]
    (unsubscribe,) = re.findall(r"<([^>]+)>", message["List-Unsubscribe"])
    path = unsubscribe.replace("https://ledger.example", "")
    response = client.post(
        path, {"List-Unsubscribe": "One-Click"}, HTTP_HOST="ledger.example", secure=True
    )
    assert response.status_code == 200
    reader = Subscription.objects.get(subscriber__email=message["To"], newsletter=newsletter)
    assert reader.status == Subscription.Status.UNSUBSCRIBED
    assert figures(send)["unsubscribed"] == 1


def test_republishing_an_issue_does_not_send_it_again(newsroom, newsletter, smtp_server):
    SubscriptionFactory(newsletter=newsletter)
    issue = _issue(newsletter, [])
    _publish(issue)
    run_pending()
    issue.subject = "Corrected subject"
    _publish(issue)
    run_pending()
    assert len(smtp_server.messages) == 1
    assert Send.objects.count() == 1


def test_refused_address_is_unsubscribed_as_bounced_and_others_still_get_it(
    newsroom, newsletter, smtp_server
):
    good = SubscriptionFactory(newsletter=newsletter)
    bad = SubscriptionFactory(newsletter=newsletter)
    smtp_server.refuse.add(bad.subscriber.email)
    _publish(_issue(newsletter, []))
    run_pending()
    assert [m["To"] for m in smtp_server.parsed()] == [good.subscriber.email]
    bad.refresh_from_db()
    assert bad.status == Subscription.Status.BOUNCED
    assert Delivery.objects.get(subscriber=bad.subscriber).status == Delivery.Status.FAILED


def test_server_down_is_retried_later_not_lost(newsroom, newsletter, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", smtp.free_port()  # nobody listens
    SubscriptionFactory(newsletter=newsletter)
    _publish(_issue(newsletter, []))
    run_pending()
    delivery = Delivery.objects.get()
    assert delivery.status == Delivery.Status.QUEUED and delivery.attempts == 0
    assert Send.objects.get().status == Send.Status.SENDING
    # The send is queued again for later, not failed.
    later = DBTaskResult.objects.filter(status="READY", task_path__endswith="send_issue").get()
    assert later.run_after > timezone.now()


def test_reader_who_left_after_queueing_is_skipped(newsroom, newsletter, smtp_server):
    stays = SubscriptionFactory(newsletter=newsletter)
    leaves = SubscriptionFactory(newsletter=newsletter)
    _publish(_issue(newsletter, []))
    Subscription.objects.filter(pk=leaves.pk).update(status=Subscription.Status.UNSUBSCRIBED)
    run_pending()
    assert [m["To"] for m in smtp_server.parsed()] == [stays.subscriber.email]
