"""Sign-up with double opt-in, preferences, one-click unsubscribe, and their abuse."""

import re

import pytest
from django.core import mail, signing

from masthead.newsletters.factories import NewsletterFactory
from masthead.newsletters.models import Subscriber, Subscription
from masthead.newsletters.tokens import make_manage_token

pytestmark = pytest.mark.django_db
LINK = re.compile(r"https?://\S+/newsletters/confirm/\S+/")


@pytest.fixture
def lists(newsroom):
    return NewsletterFactory(name="Morning briefing"), NewsletterFactory(name="Analysis weekly")


def _signup(client, email, *newsletters, ip="203.0.113.5", **extra):
    data = {"email": email, "newsletter": [str(n.pk) for n in newsletters], **extra}
    return client.post("/newsletters/", data, REMOTE_ADDR=ip)


def _confirm_link() -> str:
    (link,) = LINK.findall(mail.outbox[-1].body)
    return link.replace("http://localhost", "")


def test_form_works_without_javascript_and_lists_the_newsletters(client, lists):
    response = client.get("/newsletters/")
    body = response.content.decode()
    assert response.status_code == 200
    assert 'method="post" action="/newsletters/"' in body
    assert "Morning briefing" in body and "Analysis weekly" in body
    assert "no-cache" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]


def test_signup_sends_one_confirmation_and_stores_nothing(client, lists):
    response = _signup(client, "  Reader@Example.ORG ", lists[0])
    assert response.status_code == 200
    assert "Check your inbox" in response.content.decode()
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["reader@example.org"]
    assert not Subscriber.objects.exists()


def test_confirmation_link_subscribes_on_post_only(client, lists):
    _signup(client, "reader@example.org", *lists)
    link = _confirm_link()
    # A mail scanner following the link changes nothing.
    assert client.get(link).status_code == 200
    assert not Subscriber.objects.exists()
    response = client.post(link)
    assert response.status_code == 200
    subscriber = Subscriber.objects.get(email="reader@example.org")
    subs = subscriber.subscriptions.all()
    assert {s.newsletter_id for s in subs} == {n.pk for n in lists}
    assert all(s.confirmed_at and s.requested_at <= s.confirmed_at for s in subs)


def test_second_signup_within_minutes_sends_nothing_and_says_the_same(client, lists):
    first = _signup(client, "reader@example.org", lists[0])
    second = _signup(client, "reader@example.org", lists[0], ip="198.51.100.7")
    assert len(mail.outbox) == 1
    assert first.content == second.content


def test_answer_does_not_reveal_an_existing_subscriber(client, lists, settings):
    settings.MASTHEAD_NEWSLETTER_CONFIRM_COOLDOWN = 0
    _signup(client, "known@example.org", lists[0])
    client.post(_confirm_link())
    known = _signup(client, "known@example.org", lists[0], ip="198.51.100.1")
    unknown = _signup(client, "stranger@example.org", lists[0], ip="198.51.100.2")
    assert known.status_code == unknown.status_code == 200
    assert known.content == unknown.content


def test_thousand_signups_from_one_client_are_refused_after_the_limit(client, lists):
    statuses = [_signup(client, f"r{n}@example.org", lists[0]).status_code for n in range(1000)]
    assert statuses[:20] == [200] * 20
    assert set(statuses[20:]) == {429}
    assert len(mail.outbox) == 20
    assert not Subscriber.objects.exists()


def test_many_signups_for_one_address_from_many_clients_are_refused(client, lists, settings):
    settings.MASTHEAD_NEWSLETTER_CONFIRM_COOLDOWN = 0
    statuses = [
        _signup(client, "victim@example.org", lists[0], ip=f"10.0.{n // 250}.{n % 250}").status_code
        for n in range(30)
    ]
    assert statuses[:5] == [200] * 5 and set(statuses[5:]) == {429}
    assert len(mail.outbox) == 5


@pytest.mark.parametrize(
    "address",
    [
        "reader@example.org\r\nBcc: victim@example.org",
        "reader@example.org\nSubject: spam",
        "a" * 10_000 + "@example.org",
        "x@" + "b" * 10_000 + ".org",
        "reader@exаmple.org",  # Cyrillic 'а' inside a Latin domain label
        "rеader@example.org",  # Cyrillic 'е' in the mailbox name
        "reader@@example.org",
        "<script>@example.org",
        "",
        "no-at-sign",
    ],
)
def test_hostile_addresses_are_refused_clearly_with_nothing_sent_or_stored(client, lists, address):
    response = _signup(client, address, lists[0])
    assert response.status_code == 400
    body = response.content.decode()
    assert "form-error" in body and "Traceback" not in body
    assert mail.outbox == []
    assert not Subscriber.objects.exists()


def test_honeypot_signup_answers_normally_and_sends_nothing(client, lists):
    response = _signup(client, "reader@example.org", lists[0], website="http://spam.example")
    assert response.status_code == 200
    assert mail.outbox == []


def test_forged_or_altered_confirmation_tokens_are_refused(client, lists):
    forged = signing.dumps({"e": "x@example.org", "n": [lists[0].pk]}, salt="wrong-salt")
    _signup(client, "reader@example.org", lists[0])
    real = _confirm_link()
    altered = real[:-8] + ("A" if real[-8] != "A" else "B") + real[-7:]
    for link in (f"/newsletters/confirm/{forged}/", altered, "/newsletters/confirm/x/"):
        response = client.post(link)
        assert response.status_code == 400
        assert "This link does not work" in response.content.decode()
    assert not Subscriber.objects.exists()


def test_expired_confirmation_is_refused(client, lists, settings):
    _signup(client, "reader@example.org", lists[0])
    link = _confirm_link()
    settings.MASTHEAD_NEWSLETTER_CONFIRM_SECONDS = -1
    assert client.post(link).status_code == 400
    assert not Subscriber.objects.exists()


def _subscribed(lists, email="reader@example.org"):
    subscriber = Subscriber.objects.create(email=email)
    for newsletter in lists:
        Subscription.objects.create(
            subscriber=subscriber, newsletter=newsletter, requested_at="2026-01-01T00:00Z"
        )
    return subscriber


def test_preference_page_changes_lists_without_an_account(client, lists):
    subscriber = _subscribed(lists)
    url = f"/newsletters/manage/{make_manage_token(subscriber)}/"
    assert "reader@example.org" in client.get(url).content.decode()
    response = client.post(url, {"action": "save", "newsletter": [str(lists[1].pk)]})
    assert response.status_code == 200
    statuses = dict(subscriber.subscriptions.values_list("newsletter_id", "status"))
    assert statuses == {lists[0].pk: "unsubscribed", lists[1].pk: "subscribed"}


def test_delete_on_request_removes_everything(client, lists):
    subscriber = _subscribed(lists)
    url = f"/newsletters/manage/{make_manage_token(subscriber)}/"
    assert client.post(url, {"action": "delete"}).status_code == 200
    assert not Subscriber.objects.exists() and not Subscription.objects.exists()
    # The old link now fails cleanly.
    assert client.get(url).status_code == 400


def test_one_click_unsubscribe_post_leaves_one_list(client, lists):
    subscriber = _subscribed(lists)
    url = f"/newsletters/unsubscribe/{make_manage_token(subscriber, lists[0].pk)}/"
    assert client.get(url).status_code == 200  # scanners: nothing changes
    assert subscriber.subscriptions.filter(status="subscribed").count() == 2
    response = client.post(url, {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    statuses = dict(subscriber.subscriptions.values_list("newsletter_id", "status"))
    assert statuses == {lists[0].pk: "unsubscribed", lists[1].pk: "subscribed"}


def test_forged_unsubscribe_tokens_are_refused(client, lists):
    subscriber = _subscribed(lists)
    good = make_manage_token(subscriber, lists[0].pk)
    other = Subscriber.objects.create(email="other@example.org")
    swapped = good.replace(f"{subscriber.pk}.", f"{other.pk}.", 1)
    for token in (swapped, "1.abc.1:forged", good + "x"):
        assert client.post(f"/newsletters/unsubscribe/{token}/").status_code == 400
    assert subscriber.subscriptions.filter(status="subscribed").count() == 2


def test_every_page_carries_a_signup_form_that_posts_to_the_uncached_address(
    client, newsroom, lists, settings
):
    settings.MASTHEAD_PAGE_CACHE = True
    story = newsroom.stories[0]
    first = client.get(story.url)
    again = client.get(story.url)
    assert again.get("X-Cache") == "HIT", "the story page is served from the page cache"
    body = again.content.decode()
    assert 'class="newsletter-box" method="post" action="/newsletters/"' in body
    assert "Morning briefing" in body and "csrfmiddlewaretoken" not in body
    assert first.status_code == 200
    # The cached form posts without a CSRF token and gets the same answer as anywhere.
    response = client.post(
        "/newsletters/",
        {"email": "box@example.org", "newsletter": [str(lists[0].pk)]},
        REMOTE_ADDR="203.0.113.9",
    )
    assert response.status_code == 200 and len(mail.outbox) == 1


def test_a_new_list_shows_in_the_form_at_once(client, newsroom):
    assert "newsletter-box" not in client.get("/").content.decode()
    NewsletterFactory(name="Evening edition")
    assert "Evening edition" in client.get("/").content.decode()
