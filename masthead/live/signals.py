"""Tell caches when a live entry becomes visible, changes or goes, and announce
scheduled entries (and coverage that starts or ends) on the scheduler's pass.

Every reader-facing view filters entries by time, so a scheduled entry can never show
early; what the scheduler pass adds is that it shows on time in cached copies too,
instead of when the cached copy expires.
"""

import json
import logging

from django.db.models.signals import post_delete, post_init, post_save, pre_save
from django.utils import timezone

logger = logging.getLogger("masthead.live")


def _snapshot(instance) -> tuple:
    return (instance.status, instance.published_at, instance.page_id, instance.announced_at)


def _remember(sender, instance, **kwargs) -> None:
    instance._live_loaded = _snapshot(instance) if instance.pk else None


def _was_visible(instance, now) -> bool:
    loaded = getattr(instance, "_live_loaded", None)
    if not loaded:
        return False
    status, published_at, _page, _announced = loaded
    return status == instance.Status.PUBLISHED and published_at is not None and published_at <= now


def page_changed(page_ids, *, hard: bool) -> None:
    """Say through ``masthead.core.changes`` that entries of the live pages ``page_ids`` changed.

    No counter moves (an entry changes no listing, related list or vocabulary); the page
    cache hears the change and invalidates the page's tags: the page, its updates
    endpoint and entry feeds, and every cached list that shows the page. ``hard`` (an
    entry withdrawn) forbids serving an older copy even for a moment.
    """
    from masthead.core import changes

    from .models import LivePage

    for page in LivePage.objects.filter(pk__in={pk for pk in page_ids if pk}):
        changes.changed("withdrawn" if hard else "edited", page=page, counters=())


# What a reader (and a partner's copy) sees of an entry: a save that changes none of it
# (an editor pressing Save again) is not told to partners as an update.
_SEEN = ("headline", "body", "author_id", "published_at", "pinned", "correction", "page_id")


def _seen(instance) -> tuple:
    body = instance._meta.get_field("body")
    return tuple(
        json.dumps(body.get_prep_value(instance.body), sort_keys=True, default=str)
        if name == "body"
        else getattr(instance, name)
        for name in _SEEN
    )


def _before_save(sender, instance, **kwargs) -> None:
    now = timezone.now()
    instance.announced_at = now if instance.is_visible_at(now) else None
    # Only an entry told before can be told as updated: then one read of its stored row
    # (saves are rare, reads are not: nothing is kept at load time).
    loaded = getattr(instance, "_live_loaded", None)
    told = _was_visible(instance, now) and loaded[3] is not None
    stored = sender.objects.filter(pk=instance.pk).first() if told else None
    instance._live_seen_before = _seen(stored) if stored else None


def _after_save(sender, instance, created, **kwargs) -> None:
    now = timezone.now()
    visible, was = instance.is_visible_at(now), _was_visible(instance, now)
    if visible or was:
        # Withdrawn (to a draft or a later time): no cached copy may show it again.
        page_changed(
            {instance.page_id, *([instance._live_loaded[2]] if was else [])},
            hard=was and not visible,
        )
    if visible:
        from .public_events import tell

        # Told before (visible and announced when it was loaded): an edit. Otherwise
        # its first showing, including one whose time came before the scheduler's pass
        # (this save sets ``announced_at``, so that pass will not tell it).
        told = was and instance._live_loaded[3] is not None
        if not told or instance._live_seen_before != _seen(instance):
            tell([instance.pk], updated=told)
    instance._live_loaded = _snapshot(instance)


def _after_delete(sender, instance, **kwargs) -> None:
    if _was_visible(instance, timezone.now()):
        page_changed([instance.page_id], hard=True)


def announce_due(now=None) -> int:
    """Announce entries whose scheduled time has come and pages whose state changed.

    Return how many entries and pages were announced.
    """
    from .models import LiveEntry, LivePage

    now = now or timezone.now()
    due = LiveEntry.objects.filter(
        status=LiveEntry.Status.PUBLISHED, published_at__lte=now, announced_at__isnull=True
    )
    due_rows = list(due.values_list("pk", "page_id"))
    page_ids = {page_id for _pk, page_id in due_rows}
    # Only the rows read above: one that falls due meanwhile is told on the next pass.
    count = len(page_ids) and due.filter(pk__in=[pk for pk, _ in due_rows]).update(announced_at=now)
    if due_rows:
        from .public_events import tell

        tell([pk for pk, _page_id in due_rows], now)
    changed_state = []
    for page in LivePage.objects.live().only(
        "pk", "coverage_start", "coverage_end", "announced_state"
    ):
        state = page.state_at(now)
        if state != page.announced_state:
            changed_state.append(page.pk)
            LivePage.objects.filter(pk=page.pk).update(announced_state=state)
    if page_ids or changed_state:
        page_changed(page_ids | set(changed_state), hard=False)
    return count + len(changed_state)


def connect() -> None:
    from .models import LiveEntry

    post_init.connect(_remember, sender=LiveEntry, dispatch_uid="live-entry-init")
    pre_save.connect(_before_save, sender=LiveEntry, dispatch_uid="live-entry-pre-save")
    post_save.connect(_after_save, sender=LiveEntry, dispatch_uid="live-entry-saved")
    post_delete.connect(_after_delete, sender=LiveEntry, dispatch_uid="live-entry-deleted")
