"""Webhooks to a real HTTP receiver on 127.0.0.1: signed (checked with the reference
standardwebhooks library), queued and sent by the background worker, retried after
500s and timeouts, paused after repeated failure, never sent for a hidden story."""

import http.server
import json
import socket
import threading
import time

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from standardwebhooks.webhooks import Webhook
from wagtail.models import PageViewRestriction

from masthead.articles.models import Correction
from masthead.background import worker
from masthead.webhooks import sending
from masthead.webhooks.models import WebhookDelivery, WebhookEndpoint

pytestmark = pytest.mark.django_db

EVENTS = [
    "story.published",
    "story.updated",
    "story.corrected",
    "story.unpublished",
    "story.deleted",
    "live_entry.published",
    "live_entry.updated",
    "newsletter.sent",
]


class Receiver:
    """A local HTTP server that records each POST and answers as told."""

    def __init__(self):
        self.received: list[tuple[dict, bytes]] = []
        self.answers: list[int | str] = []  # status codes, or "slow"
        receiver = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                answer = receiver.answers.pop(0) if receiver.answers else 200
                if answer == "slow":
                    time.sleep(1.5)
                    answer = 200
                receiver.received.append(({k.lower(): v for k, v in self.headers.items()}, body))
                self.send_response(answer)
                self.end_headers()

            def log_message(self, *args):
                pass

        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/hooks"

    def stop(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver():
    r = Receiver()
    yield r
    r.stop()


@pytest.fixture
def endpoint(receiver):
    return WebhookEndpoint.objects.create(
        name="Coastal Herald", url=receiver.url, events=EVENTS, allow_private_address=True
    )


@pytest.fixture(autouse=True)
def quick(settings, monkeypatch):
    settings.MASTHEAD_WEBHOOK_RETRY_DELAYS = [0, 0, 0, 0]
    settings.MASTHEAD_WEBHOOK_PAUSE_AFTER = 6
    monkeypatch.setattr(sending, "TIMEOUT", 0.5)


def drain() -> None:
    for _ in range(20):
        if not worker.run_pending():
            return


def verified(endpoint, received) -> list[dict]:
    hook = Webhook(endpoint.secret)
    return [hook.verify(body, headers) for headers, body in received]


def test_a_published_story_is_delivered_signed(
    newsroom, endpoint, receiver, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        story = newsroom.publish(days_ago=0, revision=True, title="Crossing reopens at dawn")
    assert receiver.received == []  # publishing queued it; the worker sends it
    drain()
    [message] = verified(endpoint, receiver.received)
    assert message["type"] == "story.published"
    assert message["data"]["id"] == story.pk
    assert message["data"]["headline"] == "Crossing reopens at dawn"
    assert message["data"]["url"] == "http://testserver/news/" + story.slug + "/"
    delivery = WebhookDelivery.objects.get()
    assert delivery.status == "delivered" and delivery.attempts == 1
    assert delivery.last_status_code == 200 and delivery.last_response_ms is not None
    assert receiver.received[0][0]["webhook-id"] == delivery.message_id
    # A signature made with another secret is refused by the reference library.
    with pytest.raises(Exception):  # noqa: B017 - the library raises its own error type
        Webhook("whsec_" + "QUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFB").verify(
            receiver.received[0][1], receiver.received[0][0]
        )


def test_updates_and_corrections_are_told_apart(
    newsroom, endpoint, receiver, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        story = newsroom.publish(days_ago=0, revision=True)
        story.standfirst = "A clearer standfirst."
        story.save_revision().publish()
        Correction.objects.create(page=story, text="The date was wrong.")
        story.save_revision().publish()
    drain()
    messages = verified(endpoint, receiver.received)
    assert [m["type"] for m in messages] == ["story.published", "story.updated", "story.corrected"]
    assert messages[2]["data"]["correction"]["text"] == "The date was wrong."


def test_no_delivery_for_a_draft_a_scheduled_or_a_private_story(
    newsroom, endpoint, receiver, django_capture_on_commit_callbacks
):
    import datetime as dt

    from django.utils import timezone

    from masthead.articles.factories import ArticlePageFactory
    from masthead.sections.factories import SectionPageFactory

    with django_capture_on_commit_callbacks(execute=True):
        draft = ArticlePageFactory(parent=newsroom.news, live=False, slug="a-draft")
        draft.save_revision()
        scheduled = ArticlePageFactory(parent=newsroom.news, live=False, slug="later")
        scheduled.go_live_at = timezone.now() + dt.timedelta(hours=3)
        scheduled.save_revision().publish()
        members = SectionPageFactory(parent=newsroom.home, title="Members", slug="members")
        PageViewRestriction.objects.create(page=members, restriction_type="password", password="x")
        private = ArticlePageFactory(parent=members, live=False, slug="members-story")
        private.save_revision().publish()
        # Withdrawing stories partners never heard of tells them nothing either.
        private.refresh_from_db()
        private.unpublish()
    drain()
    assert receiver.received == []
    assert not WebhookDelivery.objects.exists()


def test_a_story_made_private_before_sending_is_not_sent(
    newsroom, endpoint, receiver, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        story = newsroom.publish(days_ago=0, revision=True)
    PageViewRestriction.objects.create(page=story, restriction_type="login")
    drain()
    assert receiver.received == []
    assert WebhookDelivery.objects.get().status == "cancelled"


def test_retries_after_500s_and_a_timeout(
    newsroom, endpoint, receiver, django_capture_on_commit_callbacks
):
    receiver.answers = [500, "slow", 503]
    with django_capture_on_commit_callbacks(execute=True):
        newsroom.publish(days_ago=0, revision=True)
    drain()
    delivery = WebhookDelivery.objects.get()
    assert delivery.status == "delivered"
    assert delivery.attempts == 4
    # Every attempt carried the same message id, so the receiver can drop duplicates
    # (the slow answer arrived after the sender had given up on it).
    ids = {headers["webhook-id"] for headers, _ in receiver.received}
    assert ids == {delivery.message_id}
    endpoint.refresh_from_db()
    assert endpoint.consecutive_failures == 0


def test_gives_up_after_the_last_retry(
    newsroom, endpoint, receiver, django_capture_on_commit_callbacks
):
    receiver.answers = [500] * 10
    with django_capture_on_commit_callbacks(execute=True):
        newsroom.publish(days_ago=0, revision=True)
    drain()
    delivery = WebhookDelivery.objects.get()
    assert delivery.status == "failed"
    assert delivery.attempts == 5  # the first and four retries
    assert delivery.last_error == "HTTP 500"


def test_an_endpoint_that_keeps_failing_is_paused_and_administrators_told(
    newsroom, endpoint, receiver, mailoutbox, settings, django_capture_on_commit_callbacks
):
    settings.MASTHEAD_WEBHOOK_PAUSE_AFTER = 3
    get_user_model().objects.create_superuser("boss", "boss@example.org", "pw-boss-123")
    receiver.answers = [500] * 3
    with django_capture_on_commit_callbacks(execute=True):
        newsroom.publish(days_ago=0, revision=True)
        newsroom.publish(days_ago=0, revision=True)
    drain()
    endpoint.refresh_from_db()
    assert endpoint.paused_at is not None
    assert len(receiver.received) == 3
    assert [m.to for m in mailoutbox] == [["boss@example.org"]]
    assert "paused" in mailoutbox[0].subject
    assert WebhookDelivery.objects.filter(status="pending").count() == 2
    # An administrator resumes it: what waited is sent.
    from masthead.webhooks.forms import EndpointForm

    form_class = type(
        "Form",
        (EndpointForm,),
        {
            "Meta": type(
                "Meta",
                (),
                {
                    "model": WebhookEndpoint,
                    "fields": ["name", "url", "events", "allow_private_address", "active"],
                },
            )
        },
    )
    form = form_class(
        data={
            "name": endpoint.name,
            "url": endpoint.url,
            "events": EVENTS,
            "allow_private_address": "on",
            "active": "on",
        },
        instance=endpoint,
    )
    assert form.is_valid(), form.errors
    with django_capture_on_commit_callbacks(execute=True):
        form.save()
    drain()
    assert WebhookDelivery.objects.filter(status="delivered").count() == 2


def test_targets_follow_the_importers_ssrf_rules(
    newsroom, receiver, django_capture_on_commit_callbacks
):
    for url in (
        receiver.url,
        "http://10.0.0.5/hook",
        "http://169.254.169.254/latest",
        "ftp://example.org/",
    ):
        endpoint = WebhookEndpoint(name="x", url=url, events=EVENTS)
        with pytest.raises(ValidationError):
            endpoint.full_clean()
    # Saved without the form's check (a script): the send refuses it, nothing arrives.
    endpoint = WebhookEndpoint.objects.create(name="x", url=receiver.url, events=EVENTS)
    with django_capture_on_commit_callbacks(execute=True):
        newsroom.publish(days_ago=0, revision=True)
    drain()
    assert receiver.received == []
    delivery = WebhookDelivery.objects.get(endpoint=endpoint)
    assert "loopback" in delivery.last_error


def test_unpublishing_an_announced_story_is_delivered(
    newsroom, endpoint, receiver, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        story = newsroom.publish(days_ago=0, revision=True)
    drain()
    with django_capture_on_commit_callbacks(execute=True):
        story.refresh_from_db()
        story.unpublish()
    drain()
    messages = verified(endpoint, receiver.received)
    assert [m["type"] for m in messages] == ["story.published", "story.unpublished"]
    assert messages[1]["data"] == {"id": story.pk}
    body = json.dumps(messages[1])
    assert story.title not in body


def test_admin_registers_an_endpoint_and_reads_its_log(client, newsroom, receiver):
    user = get_user_model().objects.create_superuser("boss", "boss@example.org", "pw-boss-123")
    client.force_login(user)
    response = client.post(
        "/admin/webhooks/new/",
        {
            "name": "Wire",
            "url": "http://127.0.0.1:9/x",
            "events": ["story.published"],
            "active": "on",
        },
    )
    assert response.status_code == 200  # refused: a loopback address without the switch
    assert b"loopback" in response.content
    response = client.post(
        "/admin/webhooks/new/",
        {
            "name": "Wire",
            "url": receiver.url,
            "events": ["story.published"],
            "allow_private_address": "on",
            "active": "on",
        },
    )
    assert response.status_code == 302
    endpoint = WebhookEndpoint.objects.get(name="Wire")
    assert endpoint.secret.startswith("whsec_")
    assert endpoint.events == ["story.published"]
    listing = client.get("/admin/webhooks/").content.decode()
    assert "Wire" in listing
    log = client.get(f"/admin/webhook-log/{endpoint.pk}/")
    assert log.status_code == 200
    assert endpoint.secret in client.get(f"/admin/webhooks/edit/{endpoint.pk}/").content.decode()


# Live entries and newsletters: told through masthead.core.events by the app itself.


def _live_page(newsroom, **kwargs):
    from masthead.live.factories import LivePageFactory

    page = LivePageFactory(parent=kwargs.pop("parent", newsroom.news), live=False, **kwargs)
    page.save_revision().publish()
    page.refresh_from_db()
    return page


def _of(kind: str, endpoint, receiver) -> list[dict]:
    return [m for m in verified(endpoint, receiver.received) if m["type"] == kind]


def test_a_live_page_is_a_story_and_its_entries_are_delivered(
    newsroom, endpoint, receiver, django_capture_on_commit_callbacks
):
    import datetime as dt

    from django.utils import timezone

    from masthead.live.factories import LiveEntryFactory
    from masthead.live.models import LiveEntry
    from masthead.live.signals import announce_due

    with django_capture_on_commit_callbacks(execute=True):
        page = _live_page(newsroom, title="Live: the border vote", slug="live-vote")
        entry = LiveEntryFactory(page=page, headline="Polls open", author=newsroom.reporter)
        draft = LiveEntryFactory(page=page, headline="Not yet", status="draft")
        later = LiveEntryFactory(
            page=page,
            headline="Results at ten",
            published_at=timezone.now() + dt.timedelta(hours=1),
        )
        entry.pinned = True
        entry.save()  # an edit of a visible entry is not a second "published"
    drain()
    # Wagtail names the live page's own class when it publishes it: still a story.
    [story] = _of("story.published", endpoint, receiver)
    assert story["data"]["id"] == page.pk
    [told] = _of("live_entry.published", endpoint, receiver)
    data = told["data"]
    assert data["id"] == entry.pk and data["headline"] == "Polls open"
    assert data["url"] == f"http://testserver/news/live-vote/#entry-{entry.pk}"
    assert data["live_page"] == {
        "id": page.pk,
        "headline": "Live: the border vote",
        "url": "http://testserver/news/live-vote/",
    }
    assert "Counting continues" in data["body_html"]
    assert data["author"]["slug"] == newsroom.reporter.slug
    delivery = WebhookDelivery.objects.get(event="live_entry.published")
    assert delivery.article_id == page.pk and delivery.status == "delivered"

    # The scheduled entry is told on the scheduler's pass after its time; the draft never.
    assert later.announced_at is None
    # Its time comes (the row as the clock would leave it), then the scheduler's pass.
    LiveEntry.objects.filter(pk=later.pk).update(
        published_at=timezone.now() - dt.timedelta(seconds=1)
    )
    with django_capture_on_commit_callbacks(execute=True):
        announce_due()
    drain()
    assert [m["data"]["id"] for m in _of("live_entry.published", endpoint, receiver)] == [
        entry.pk,
        later.pk,
    ]
    assert draft.pk not in [m["data"]["id"] for m in verified(endpoint, receiver.received)]


def test_no_live_entry_is_told_from_a_hidden_page_or_after_it_is_withdrawn(
    newsroom, endpoint, receiver, django_capture_on_commit_callbacks
):
    from masthead.live.factories import LiveEntryFactory, LivePageFactory
    from masthead.sections.factories import SectionPageFactory

    members = SectionPageFactory(parent=newsroom.home, title="Members", slug="members")
    PageViewRestriction.objects.create(page=members, restriction_type="password", password="x")
    with django_capture_on_commit_callbacks(execute=True):
        private = _live_page(newsroom, parent=members, slug="live-members")
        unpublished = LivePageFactory(parent=newsroom.news, live=False, slug="live-draft")
        unpublished.save_revision()
        hidden = [
            LiveEntryFactory(page=private, headline="Members only"),
            LiveEntryFactory(page=unpublished, headline="Draft page entry"),
        ]
        for entry in hidden:  # edits of them are not told either
            entry.headline += ", edited"
            entry.save()
    drain()
    assert not WebhookDelivery.objects.filter(event__startswith="live_entry.").exists()

    page = _live_page(newsroom, slug="live-public")
    with django_capture_on_commit_callbacks(execute=True):
        entry = LiveEntryFactory(page=page, headline="Sent in error")
    entry.status = "draft"
    entry.save()  # withdrawn before the worker sent it
    drain()
    assert _of("live_entry.published", endpoint, receiver) == []
    assert WebhookDelivery.objects.get(event="live_entry.published").status == "cancelled"


def _told_entry(newsroom, capture, slug: str, headline: str):
    """Return a live page at ``slug`` and an entry on it, published and delivered."""
    from masthead.live.factories import LiveEntryFactory

    page = _live_page(newsroom, slug=slug)
    with capture(execute=True):
        entry = LiveEntryFactory(page=page, headline=headline)
    drain()
    return page, entry


def test_an_edited_live_entry_is_delivered_as_an_update_signed_and_retried(
    newsroom, endpoint, receiver, django_capture_on_commit_callbacks
):
    page, entry = _told_entry(
        newsroom, django_capture_on_commit_callbacks, "live-edits", "Turnout at 40%"
    )
    assert [m["data"]["id"] for m in _of("live_entry.published", endpoint, receiver)] == [entry.pk]
    assert _of("live_entry.updated", endpoint, receiver) == []

    receiver.answers = [500, "slow"]  # the update is retried like every delivery
    with django_capture_on_commit_callbacks(execute=True):
        entry.headline = "Turnout at 42%"
        entry.correction = "The first figure counted one district twice."
        entry.save()
    drain()
    # Attempts reached the receiver (it answered 500, then too late, then 200), each
    # signed, each the same message.
    told = _of("live_entry.updated", endpoint, receiver)
    assert told and all(m == told[0] for m in told)
    data = told[0]["data"]
    assert data["id"] == entry.pk and data["headline"] == "Turnout at 42%"
    assert data["correction"] == "The first figure counted one district twice."
    assert data["corrected_at"] and data["updated_at"]
    assert data["live_page"]["id"] == page.pk
    assert data["url"] == f"http://testserver/news/live-edits/#entry-{entry.pk}"
    delivery = WebhookDelivery.objects.get(event="live_entry.updated")
    assert delivery.status == "delivered" and delivery.attempts == 3
    assert delivery.article_id == page.pk
    ids = {h["webhook-id"] for h, b in receiver.received if b"live_entry.updated" in b}
    assert ids == {delivery.message_id}
    # Still one "published": an edit is never told as a new entry.
    assert len(_of("live_entry.published", endpoint, receiver)) == 1


def test_a_save_that_changes_nothing_readers_see_is_not_told(
    newsroom, endpoint, receiver, django_capture_on_commit_callbacks
):
    from masthead.live.models import LiveEntry

    _, entry = _told_entry(
        newsroom, django_capture_on_commit_callbacks, "live-resaved", "Polls close at ten"
    )
    with django_capture_on_commit_callbacks(execute=True):
        LiveEntry.objects.get(pk=entry.pk).save()  # Save pressed again, nothing edited
    drain()
    assert _of("live_entry.updated", endpoint, receiver) == []
    with django_capture_on_commit_callbacks(execute=True):
        again = LiveEntry.objects.get(pk=entry.pk)
        again.pinned = True  # readers see it move to the top
        again.save()
    drain()
    told = _of("live_entry.updated", endpoint, receiver)
    assert [m["data"]["pinned"] for m in told] == [True]


def test_edits_of_entries_readers_cannot_see_are_not_told(
    newsroom, endpoint, receiver, django_capture_on_commit_callbacks
):
    import datetime as dt

    from django.utils import timezone

    from masthead.live.factories import LiveEntryFactory
    from masthead.live.models import LiveEntry

    page = _live_page(newsroom, slug="live-hidden-edits")
    with django_capture_on_commit_callbacks(execute=True):
        draft = LiveEntryFactory(page=page, headline="Draft", status="draft")
        later = LiveEntryFactory(
            page=page, headline="Later", published_at=timezone.now() + dt.timedelta(hours=1)
        )
        draft.headline = "Draft, edited"
        draft.save()
        later.headline = "Later, edited"
        later.save()
    drain()
    assert not WebhookDelivery.objects.filter(event__startswith="live_entry.").exists()

    # Edited, then withdrawn before the worker sent the update: cancelled, nothing sent.
    with django_capture_on_commit_callbacks(execute=True):
        shown = LiveEntryFactory(page=page, headline="Shown")
    drain()
    with django_capture_on_commit_callbacks(execute=True):
        shown.headline = "Shown, edited"
        shown.save()
    shown.status = "draft"
    shown.save()
    drain()
    assert _of("live_entry.updated", endpoint, receiver) == []
    assert WebhookDelivery.objects.get(event="live_entry.updated").status == "cancelled"

    # An entry whose time came before the scheduler's pass, edited first: its first
    # showing is told as "published" (the save, not the pass, announces it).
    LiveEntry.objects.filter(pk=later.pk).update(
        published_at=timezone.now() - dt.timedelta(seconds=1)
    )
    later = LiveEntry.objects.get(pk=later.pk)  # as the admin's edit form loads it
    with django_capture_on_commit_callbacks(execute=True):
        later.headline = "Later, now out"
        later.save()
    drain()
    published = [m["data"]["id"] for m in _of("live_entry.published", endpoint, receiver)]
    assert published == [shown.pk, later.pk]
    assert later.pk not in [m["data"]["id"] for m in _of("live_entry.updated", endpoint, receiver)]


def test_a_sent_issue_of_a_public_newsletter_is_delivered_once(
    newsroom, endpoint, receiver, django_capture_on_commit_callbacks
):
    from wagtail.models import Site

    from masthead.newsletters.factories import NewsletterFactory, SubscriptionFactory
    from masthead.newsletters.models import Issue

    site = Site.objects.get(is_default_site=True)
    public = NewsletterFactory(name="Morning briefing", slug="morning", site=site)
    private = NewsletterFactory(name="Donors", slug="donors", site=site, is_public=False)
    issues = []
    for newsletter in (public, private):
        SubscriptionFactory(newsletter=newsletter)
        issue = Issue(newsletter=newsletter, subject=f"{newsletter.name}: harbour deal", live=False)
        issue.save()
        with django_capture_on_commit_callbacks(execute=True):
            issue.save_revision().publish()
        issues.append(issue)
    assert not WebhookDelivery.objects.filter(event="newsletter.sent").exists()  # not sent yet
    with django_capture_on_commit_callbacks(execute=True):
        drain()  # the worker sends the issues, then queues the webhook
    drain()
    [told] = _of("newsletter.sent", endpoint, receiver)
    assert told["data"]["id"] == issues[0].pk
    assert told["data"]["subject"] == "Morning briefing: harbour deal"
    assert told["data"]["newsletter"] == {"slug": "morning", "name": "Morning briefing"}
    assert told["data"]["sent_at"]
    body = json.dumps(told)
    assert "@" not in body  # no reader's address
