"""The background task that sends webhook deliveries (run by masthead.background)."""

from django.utils import timezone

from masthead.background import background_task
from masthead.core import events

from . import sending
from .models import WebhookDelivery

STORY_EVENTS = ("story.published", "story.updated", "story.corrected")


def still_public(delivery: WebhookDelivery) -> bool:
    """Return whether what a delivery tells may still be told to partners.

    A story event needs its story live and public; an event another app sent through
    masthead.core.events (a live entry) asks that app's check.
    """
    if delivery.event in STORY_EVENTS and delivery.article_id is not None:
        from masthead.articles.models import ArticlePage

        return ArticlePage.objects.live().public().filter(pk=delivery.article_id).exists()
    return events.still_public(delivery.event, (delivery.payload or {}).get("data") or {})


@background_task
def deliver(delivery_id: int) -> None:
    delivery = WebhookDelivery.objects.select_related("endpoint").filter(pk=delivery_id).first()
    if delivery is None or delivery.status != WebhookDelivery.Status.PENDING:
        return
    endpoint = delivery.endpoint
    if not endpoint.active or endpoint.paused_at is not None:
        return  # queued again when the endpoint is resumed
    if delivery.next_attempt_at > timezone.now():
        schedule(delivery)  # an early run (a retry queued twice): wait for its time
        return
    if not still_public(delivery):
        delivery.status = WebhookDelivery.Status.CANCELLED
        delivery.save(update_fields=["status"])
        return
    if not sending.attempt(delivery) and delivery.status == WebhookDelivery.Status.PENDING:
        schedule(delivery)


def schedule(delivery: WebhookDelivery) -> None:
    """Queue ``delivery`` for its next attempt time."""
    if delivery.next_attempt_at > timezone.now():
        deliver.using(run_after=delivery.next_attempt_at).enqueue(delivery.pk)
    else:
        deliver.enqueue(delivery.pk)


def resume(endpoint) -> int:
    """Queue every waiting delivery of a resumed endpoint; return how many."""
    pending = list(endpoint.deliveries.filter(status=WebhookDelivery.Status.PENDING))
    for delivery in pending:
        deliver.enqueue(delivery.pk)
    return len(pending)
