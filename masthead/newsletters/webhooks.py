"""Provider events through django-anymail's signed webhooks: delivered, bounced, complained.

Anymail checks each call (basic-auth ``ANYMAIL_WEBHOOK_SECRET``, or the provider's
signature, e.g. ``MAILGUN_WEBHOOK_SIGNING_KEY``) before this runs. A hard bounce or an
address the provider calls invalid stops every list for that address (``bounced``); a
spam complaint unsubscribes it from everything (``complained``). Opens are never
recorded.

A soft bounce (a full mailbox, a server down for the day) stops nothing: anymail reports
some as "bounced" (Amazon SES's Transient bounces, Postmark's SoftBounce, Brevo's
soft_bounce, SendGrid's "blocked" bounces), so each provider's own field is read. A
rejection for the sender's sake (Postmark's DMARCPolicy, Brevo's "blocked") is not the
reader's address failing and stops nothing either.
"""

import logging

from anymail.signals import EventType, RejectReason, tracking
from django.dispatch import receiver
from django.utils import timezone

from .addresses import AddressError, normalise
from .models import Delivery, Subscription

logger = logging.getLogger("masthead.newsletters")
# Postmark's bounce types that mean the address itself is gone.
POSTMARK_HARD = {"HardBounce", "BadEmailAddress", "ManuallyDeactivated"}


def _is_soft(esp_name: str, esp_event) -> bool:
    """Return whether the provider's own record says the failure is temporary."""
    if not isinstance(esp_event, dict):
        return False
    name = esp_name.lower().replace(" ", "_")
    if name == "amazon_ses":
        return (esp_event.get("bounce") or {}).get("bounceType", "Permanent") != "Permanent"
    if name == "postmark":
        return esp_event.get("RecordType") == "Bounce" and esp_event.get("Type") not in (
            POSTMARK_HARD
        )
    if name == "brevo":
        return esp_event.get("event") == "soft_bounce"
    if name == "sendgrid":
        return esp_event.get("event") == "bounce" and esp_event.get("type") == "blocked"
    if name == "mailgun":
        return (esp_event.get("event-data") or {}).get("severity") == "temporary"
    return False


def _mailbox_refused(esp_name: str, esp_event) -> bool:
    """Mailgun's permanent failures with reason "generic": hard when the code says so."""
    if esp_name.lower() != "mailgun" or not isinstance(esp_event, dict):
        return False
    data = esp_event.get("event-data") or {}
    code = (data.get("delivery-status") or {}).get("code")
    return data.get("severity") == "permanent" and code in (550, 551, 553)


def stop_status(event, esp_name: str) -> str | None:
    """Return the status an event gives every subscription of its address, or None."""
    if event.event_type == EventType.COMPLAINED:
        return Subscription.Status.COMPLAINED
    if event.event_type not in (EventType.BOUNCED, EventType.REJECTED):
        return None
    # SendGrid's bounces carry no reason; a rejection must name the address as the cause.
    address_reasons = (RejectReason.BOUNCED, RejectReason.INVALID)
    if event.event_type == EventType.BOUNCED:
        address_reasons += (None,)
    about_the_address = event.reject_reason in address_reasons
    if not about_the_address and not _mailbox_refused(esp_name, event.esp_event):
        return None
    if _is_soft(esp_name, event.esp_event):
        return None
    return Subscription.Status.BOUNCED


def _delivery(message_id: str | None, address: str | None):
    deliveries = Delivery.objects.all()
    if message_id:
        found = deliveries.filter(message_id=message_id).first()
        if found is None and not message_id.startswith("<"):
            found = deliveries.filter(message_id=f"<{message_id}>").first()
        if found is not None:
            return found
    if address:
        return deliveries.filter(subscriber__email=address).order_by("-pk").first()
    return None


@receiver(tracking, dispatch_uid="newsletters-provider-events")
def record_event(sender, event, esp_name, **kwargs) -> None:
    try:
        address = normalise(event.recipient or "")
    except AddressError:
        address = None
    delivery = _delivery(event.message_id, address)
    now = timezone.now()
    if event.event_type == EventType.DELIVERED and delivery is not None:
        Delivery.objects.filter(pk=delivery.pk, delivered_at__isnull=True).update(delivered_at=now)
        return
    status = stop_status(event, esp_name)
    if status is None or address is None:
        return
    if delivery is not None:
        Delivery.objects.filter(pk=delivery.pk).update(bounced_at=now)
    changed = Subscription.objects.filter(
        subscriber__email=address, status=Subscription.Status.SUBSCRIBED
    ).update(status=status, unsubscribed_at=now)
    logger.info("%s event from %s: %d subscription(s) stopped", event.event_type, esp_name, changed)
