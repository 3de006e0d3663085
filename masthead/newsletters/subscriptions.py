"""What readers do with their subscriptions: ask, confirm, change, leave, be forgotten."""

import datetime as dt
import logging

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from . import links, throttle
from .addresses import normalise
from .models import Newsletter, Subscriber, Subscription
from .tokens import make_confirm_token

logger = logging.getLogger("masthead.newsletters")


def sender(newsletter: Newsletter | None = None) -> str:
    """Return the From header for a newsletter (or the site's default sender)."""
    from email.utils import formataddr

    name = (newsletter.from_name if newsletter else "") or settings.WAGTAIL_SITE_NAME
    address = (newsletter.from_email if newsletter else "") or settings.DEFAULT_FROM_EMAIL
    return formataddr((name, address))


def request_signup(raw_address: str, newsletters: list[Newsletter], client: str) -> str:
    """Handle a sign-up; return "sent", "quiet" or "throttled".

    Raise ``AddressError`` for an unusable address. Nothing is stored: the confirmation
    link carries the address and the lists. Whether the address is already subscribed
    changes nothing in the answer; a second confirmation within the cool-down is not sent
    (the answer is the same).
    """
    address = normalise(raw_address)
    if not throttle.allow_signup(address, client):
        return "throttled"
    if not throttle.may_send_confirmation(address):
        return "quiet"
    site = newsletters[0].site
    token = make_confirm_token(address, [n.pk for n in newsletters])
    context = {
        "newsletters": newsletters,
        "confirm_url": links.absolute(site, "newsletters:confirm", token=token),
        "site_name": settings.WAGTAIL_SITE_NAME,
        "hours": throttle_hours(),
    }
    message = EmailMultiAlternatives(
        subject=render_to_string("newsletters/email/confirm_subject.txt", context).strip(),
        body=render_to_string("newsletters/email/confirm.txt", context),
        from_email=sender(newsletters[0] if len(newsletters) == 1 else None),
        to=[address],
    )
    message.attach_alternative(
        render_to_string("newsletters/email/confirm.html", context), "text/html"
    )
    message.send()
    return "sent"


def throttle_hours() -> int:
    from .tokens import confirm_max_age

    return max(1, confirm_max_age() // 3600)


@transaction.atomic
def confirm(address: str, newsletter_ids: list[int], requested_at: float) -> Subscriber | None:
    """Subscribe ``address`` to the lists it confirmed; return the subscriber.

    A list deleted meanwhile is skipped; if none is left, nothing is stored (None).
    """
    newsletters = list(Newsletter.objects.filter(pk__in=newsletter_ids))
    if not newsletters:
        return None
    subscriber, _ = Subscriber.objects.get_or_create(email=address)
    now = timezone.now()
    asked = dt.datetime.fromtimestamp(requested_at, tz=dt.UTC)
    for newsletter in newsletters:
        subscription, created = Subscription.objects.get_or_create(
            subscriber=subscriber,
            newsletter=newsletter,
            defaults={"requested_at": asked, "confirmed_at": now},
        )
        if not created and subscription.status != Subscription.Status.SUBSCRIBED:
            subscription.status = Subscription.Status.SUBSCRIBED
            subscription.requested_at, subscription.confirmed_at = asked, now
            subscription.unsubscribed_at = None
            subscription.unsubscribed_by_send = None
            subscription.save()
    return subscriber


def unsubscribe(subscriber: Subscriber, newsletter_ids=None, send=None) -> int:
    """Unsubscribe from the given lists (all when None); return how many changed."""
    subscriptions = Subscription.objects.filter(
        subscriber=subscriber, status=Subscription.Status.SUBSCRIBED
    )
    if newsletter_ids is not None:
        subscriptions = subscriptions.filter(newsletter_id__in=newsletter_ids)
    return subscriptions.update(
        status=Subscription.Status.UNSUBSCRIBED,
        unsubscribed_at=timezone.now(),
        unsubscribed_by_send=send,
    )


def set_lists(subscriber: Subscriber, wanted_ids: set[int], site) -> None:
    """Keep the subscriber on exactly the public lists of ``site`` in ``wanted_ids``.

    The preference link reached the subscriber's own mailbox, so ticking a list there is
    consent as much as confirming a sign-up: it is recorded with today's date.
    """
    offered = Newsletter.objects.filter(site=site, is_public=True)
    now = timezone.now()
    existing = {s.newsletter_id: s for s in subscriber.subscriptions.all()}
    for newsletter in offered:
        want = newsletter.pk in wanted_ids
        subscription = existing.get(newsletter.pk)
        if subscription is None:
            if want:
                Subscription.objects.create(
                    subscriber=subscriber, newsletter=newsletter, requested_at=now, confirmed_at=now
                )
        elif want and subscription.status != Subscription.Status.SUBSCRIBED:
            subscription.status = Subscription.Status.SUBSCRIBED
            subscription.requested_at = subscription.confirmed_at = now
            subscription.unsubscribed_at = None
            subscription.save()
        elif not want and subscription.status == Subscription.Status.SUBSCRIBED:
            subscription.status = Subscription.Status.UNSUBSCRIBED
            subscription.unsubscribed_at = now
            subscription.save()


def forget(subscriber: Subscriber) -> None:
    """Delete the subscriber and every row about them (subscriptions, deliveries)."""
    logger.info("Subscriber %s deleted on request", subscriber.pk)
    subscriber.delete()
