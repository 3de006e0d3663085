"""Turn publishing into webhook deliveries: rows queued in the database, after commit.

Publishing only writes one delivery row per subscribed endpoint and queues a task; the
network is the background worker's business. A story that is not live and public is
never announced; its unpublishing or deletion is mentioned only if partners were told
of it before.
"""

import logging
import uuid

from django.db import transaction
from django.utils import timezone

from .catalogue import EVENT_NAMES
from .models import StoryNotice, WebhookDelivery, WebhookEndpoint

logger = logging.getLogger("masthead.webhooks")


def _endpoints(event: str) -> list[WebhookEndpoint]:
    return [e for e in WebhookEndpoint.objects.filter(active=True) if event in (e.events or [])]


def queue(event: str, data: dict, article_id: int | None = None) -> list[int]:
    """Queue ``event`` for every endpoint subscribed to it; return the delivery ids."""
    from .tasks import deliver

    endpoints = _endpoints(event)
    if not endpoints:
        return []
    now = timezone.now()
    created = [
        WebhookDelivery.objects.create(
            endpoint=endpoint,
            event=event,
            message_id=f"msg_{uuid.uuid4().hex}",
            article_id=article_id,
            payload={"type": event, "timestamp": now.isoformat(), "data": data},
        ).pk
        for endpoint in endpoints
    ]
    for pk in created:
        transaction.on_commit(lambda pk=pk: deliver.enqueue(pk))
    return created


def _story_data(story) -> dict:
    from masthead.api import serialize

    return serialize.story_summary(story, None) | {
        "published_at": story.first_published_at.isoformat(),
        "updated_at": story.modified_at.isoformat() if story.modified_at else None,
        "last_published_at": story.last_published_at.isoformat()
        if story.last_published_at
        else None,
    }


def on_published(sender, instance, **kwargs):
    from masthead.articles.models import ArticlePage

    try:
        story = (
            ArticlePage.objects.live()
            .public()
            .select_related("lead_image")
            .filter(pk=instance.pk)
            .first()
        )
        if story is None:
            return  # private or restricted: nothing to tell
        corrections = story.correction_list
        notice = StoryNotice.objects.filter(article_id=story.pk).first()
        if notice is None:
            event = "story.published"
        elif len(corrections) > notice.corrections:
            event = "story.corrected"
        else:
            event = "story.updated"
        data = _story_data(story)
        if event == "story.corrected":
            data["correction"] = {
                "published_at": corrections[-1].published_at.isoformat(),
                "text": corrections[-1].text,
            }
        StoryNotice.objects.update_or_create(
            article_id=story.pk,
            defaults={"corrections": len(corrections), "updated_at": timezone.now()},
        )
        queue(event, data, story.pk)
    except Exception:
        # A webhook problem must never stop an editor from publishing.
        logger.exception("Could not queue webhooks for story %s", instance.pk)


def _withdrawn(event: str, instance) -> None:
    try:
        notice = StoryNotice.objects.filter(article_id=instance.pk).first()
        if notice is None:
            return  # partners never heard of it
        notice.delete()
        queue(event, {"id": instance.pk}, instance.pk)
    except Exception:
        logger.exception("Could not queue webhooks for story %s", instance.pk)


def on_unpublished(sender, instance, **kwargs):
    _withdrawn("story.unpublished", instance)


def on_deleted(sender, instance, **kwargs):
    _withdrawn("story.deleted", instance)


def on_public_event(sender, event: str, data: dict, story_id: int | None = None, **kwargs):
    """Queue what another app says went public (masthead.core.events): a live entry
    appeared, a newsletter issue went out."""
    if event not in EVENT_NAMES:
        logger.warning("Unknown public event %r: nothing queued", event)
        return
    try:
        queue(event, data, story_id)
    except Exception:
        # A webhook problem must never stop the newsroom's own work.
        logger.exception("Could not queue webhooks for %s", event)


def on_endpoint_saved(sender, instance, **kwargs):
    if instance.active and instance.paused_at is None:
        from .tasks import resume

        transaction.on_commit(lambda: resume(instance))


def story_models() -> list[type]:
    """Return ArticlePage and every kind of story built on it (a live page is a story).

    Wagtail sends ``page_published`` with the page's own class as sender, so a receiver
    connected to ArticlePage alone would never hear of a live page.
    """
    from django.apps import apps

    from masthead.articles.models import ArticlePage

    return [m for m in apps.get_models() if issubclass(m, ArticlePage)]


def connect() -> None:
    from django.db.models.signals import post_save, pre_delete
    from wagtail.signals import page_published, page_unpublished

    from masthead.core.events import public_event

    for model in story_models():
        label = model._meta.label_lower
        page_published.connect(on_published, sender=model, dispatch_uid=f"webhooks-pub-{label}")
        page_unpublished.connect(
            on_unpublished, sender=model, dispatch_uid=f"webhooks-unpub-{label}"
        )
        pre_delete.connect(on_deleted, sender=model, dispatch_uid=f"webhooks-del-{label}")
    public_event.connect(on_public_event, dispatch_uid="webhooks-public-event")
    post_save.connect(on_endpoint_saved, sender=WebhookEndpoint, dispatch_uid="webhooks-resume")
