"""Provider webhooks (through anymail, signed): hard bounces and complaints stop the address.

Each provider's own payload, as its documentation shows it, posted to the address anymail
serves for it: a hard bounce stops every list of the address, a complaint unsubscribes
it, a soft bounce stops nothing, and a call without the secret or the signature changes
nothing.
"""

import base64
import hashlib
import hmac
import json

import pytest

from masthead.newsletters.factories import NewsletterFactory, SubscriptionFactory
from masthead.newsletters.models import Subscription

pytestmark = pytest.mark.django_db
SECRET = "hook:s3cret-value"
MAILGUN_KEY = "mailgun-signing-key-for-tests"
GONE = "gone@example.org"


@pytest.fixture
def secret(settings):
    settings.ANYMAIL = {"WEBHOOK_SECRET": SECRET, "MAILGUN_WEBHOOK_SIGNING_KEY": MAILGUN_KEY}
    return "Basic " + base64.b64encode(SECRET.encode()).decode()


def _postmark(kind):
    if kind == "complaint":
        return {"RecordType": "SpamComplaint", "Type": "SpamComplaint", "Email": GONE}
    return {
        "RecordType": "Bounce",
        "Type": "HardBounce" if kind == "hard" else "SoftBounce",
        "TypeCode": 1 if kind == "hard" else 4096,
        "MessageID": "883953f4-6105-42a2-a16a-77a8eac79483",
        "Email": "Gone@Example.org",
        "BouncedAt": "2026-12-06T10:00:00Z",
    }


def _ses(kind):
    mail = {"messageId": "0100018c-ses", "destination": [GONE], "headers": []}
    if kind == "complaint":
        event = {
            "notificationType": "Complaint",
            "complaint": {
                "complainedRecipients": [{"emailAddress": GONE}],
                "complaintFeedbackType": "abuse",
            },
            "mail": mail,
        }
    else:
        event = {
            "notificationType": "Bounce",
            "bounce": {
                "bounceType": "Permanent" if kind == "hard" else "Transient",
                "bounceSubType": "General" if kind == "hard" else "MailboxFull",
                "bouncedRecipients": [
                    {"emailAddress": GONE, "diagnosticCode": "smtp; 550 5.1.1 user unknown"}
                ],
            },
            "mail": mail,
        }
    return {
        "Type": "Notification",
        "MessageId": "sns-message-1",
        "TopicArn": "arn:aws:sns:eu-west-1:123456789012:ses-events",
        "Message": json.dumps(event),
        "Timestamp": "2026-12-06T10:00:00.000Z",
    }


def _mailgun(kind, key=MAILGUN_KEY):
    timestamp, token = "1796551200", "a8ce0edb2dd8301dee6c2405235584e45aa91d1e9f979f3de0"
    signature = hmac.new(key.encode(), f"{timestamp}{token}".encode(), hashlib.sha256).hexdigest()
    data = {
        "recipient": GONE,
        "timestamp": 1796551200.0,
        "message": {"headers": {"message-id": "20261206100000.1.ABC@mg.ledger.example"}},
    }
    if kind == "complaint":
        data["event"] = "complained"
    else:
        data.update(
            event="failed",
            severity="permanent" if kind == "hard" else "temporary",
            reason="bounce" if kind == "hard" else "generic",
            **{"delivery-status": {"code": 550 if kind == "hard" else 452, "message": "no"}},
        )
    return {
        "signature": {"timestamp": timestamp, "token": token, "signature": signature},
        "event-data": data,
    }


def _brevo(kind):
    event = {"complaint": "spam", "hard": "hard_bounce", "soft": "soft_bounce"}[kind]
    return {
        "event": event,
        "email": GONE,
        "message-id": "<202612061000.12345@smtp-relay.mailin.fr>",
        "ts_epoch": 1796551200000,
        "reason": "550 5.1.1 user unknown" if kind == "hard" else "mailbox full",
    }


def _sendgrid(kind):
    event = {"email": GONE, "timestamp": 1796551200, "sg_message_id": "sg.1", "smtp-id": "<1@sg>"}
    if kind == "complaint":
        event["event"] = "spamreport"
    else:
        event.update(
            event="bounce",
            type="bounce" if kind == "hard" else "blocked",
            reason="550 5.1.1 user unknown" if kind == "hard" else "421 try again later",
        )
    return [event]


PROVIDERS = {
    "postmark": (_postmark, {}),
    "amazon_ses": (
        _ses,
        {
            "HTTP_X_AMZ_SNS_MESSAGE_TYPE": "Notification",
            "HTTP_X_AMZ_SNS_MESSAGE_ID": "sns-message-1",
        },
    ),
    "mailgun": (_mailgun, {}),
    "brevo": (_brevo, {}),
    "sendgrid": (_sendgrid, {}),
}


def _post(client, provider, payload, auth):
    headers = dict(PROVIDERS[provider][1])
    if auth:
        headers["HTTP_AUTHORIZATION"] = auth
    return client.post(
        f"/anymail/{provider}/tracking/",
        json.dumps(payload),
        content_type="application/json",
        **headers,
    )


@pytest.mark.parametrize("provider", list(PROVIDERS))
def test_hard_bounce_stops_every_list_of_the_address(client, newsroom, secret, provider):
    first = SubscriptionFactory(subscriber__email=GONE)
    second = SubscriptionFactory(subscriber=first.subscriber, newsletter=NewsletterFactory())
    other = SubscriptionFactory()
    response = _post(client, provider, PROVIDERS[provider][0]("hard"), secret)
    assert response.status_code == 200, response.content[:300]
    for subscription in (first, second, other):
        subscription.refresh_from_db()
    assert first.status == second.status == Subscription.Status.BOUNCED
    assert other.status == Subscription.Status.SUBSCRIBED


@pytest.mark.parametrize("provider", list(PROVIDERS))
def test_soft_bounce_stops_nothing(client, newsroom, secret, provider):
    subscription = SubscriptionFactory(subscriber__email=GONE)
    response = _post(client, provider, PROVIDERS[provider][0]("soft"), secret)
    assert response.status_code == 200, response.content[:300]
    subscription.refresh_from_db()
    assert subscription.status == Subscription.Status.SUBSCRIBED


@pytest.mark.parametrize("provider", list(PROVIDERS))
def test_spam_complaint_unsubscribes_as_complained(client, newsroom, secret, provider):
    subscription = SubscriptionFactory(subscriber__email=GONE)
    response = _post(client, provider, PROVIDERS[provider][0]("complaint"), secret)
    assert response.status_code == 200, response.content[:300]
    subscription.refresh_from_db()
    assert subscription.status == Subscription.Status.COMPLAINED


@pytest.mark.parametrize("provider", list(PROVIDERS))
def test_unsigned_or_wrongly_signed_webhook_changes_nothing(client, newsroom, secret, provider):
    subscription = SubscriptionFactory(subscriber__email=GONE)
    wrong = "Basic " + base64.b64encode(b"hook:guess").decode()
    payload = PROVIDERS[provider][0]("complaint")
    for auth in ("", wrong):
        assert _post(client, provider, payload, auth).status_code in (400, 401, 403)
    if provider == "mailgun":
        # The right secret but a signature made with another key.
        forged = _mailgun("complaint", key="a-guessed-key")
        assert _post(client, provider, forged, secret).status_code in (400, 403)
    subscription.refresh_from_db()
    assert subscription.status == Subscription.Status.SUBSCRIBED


@pytest.mark.parametrize("provider", ["postmark", "amazon_ses", "brevo", "sendgrid"])
def test_webhook_without_a_secret_configured_does_not_exist(client, newsroom, settings, provider):
    # anymail would accept anyone's call (with a warning): a forged complaint would
    # unsubscribe any reader.
    settings.ANYMAIL = {}
    subscription = SubscriptionFactory(subscriber__email=GONE)
    response = _post(client, provider, PROVIDERS[provider][0]("complaint"), "")
    assert response.status_code == 404
    subscription.refresh_from_db()
    assert subscription.status == Subscription.Status.SUBSCRIBED
