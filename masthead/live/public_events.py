"""Tell partners (masthead.core.events, heard by webhooks) that a live entry appeared
or was edited.

An entry is told once it is visible to every reader: published, due, on a live page
that is public. That happens when it is saved so (masthead.live.signals), or on the
scheduler's pass when its scheduled time comes (``announce_due``). Each later save
while it stays visible (a new text, a correction, pinning) is told as an update. An
entry on a page that is a draft, scheduled or restricted is never told, nor one
withdrawn before a delivery goes out (the check registered below runs before each
attempt, for both events).
"""

from django.utils import timezone

from masthead.core import events, site_address
from masthead.core.html import absolute_html

EVENT = "live_entry.published"
UPDATED = "live_entry.updated"


def entry_data(entry) -> dict:
    page = entry.page
    url = site_address.page_url(page)
    return {
        "id": entry.pk,
        "url": f"{url}#{entry.anchor}" if url else "",
        "headline": entry.headline,
        "body_html": absolute_html(str(entry.body), site_address.absolute("/")),
        "author": (
            {"slug": entry.author.slug, "name": entry.author.name} if entry.author else None
        ),
        "published_at": entry.published_at.isoformat(),
        "pinned": entry.pinned,
        "live_page": {"id": page.pk, "headline": page.title, "url": url},
    }


def updated_data(entry) -> dict:
    return entry_data(entry) | {
        "updated_at": entry.updated_at.isoformat(),
        "correction": entry.correction,
        "corrected_at": entry.corrected_at.isoformat() if entry.corrected_at else None,
    }


def tell(entry_ids, now=None, *, updated: bool = False) -> int:
    """Send ``public_event`` for each of ``entry_ids`` that every reader may see now:
    ``live_entry.published``, or ``live_entry.updated`` for entries told before."""
    from .models import LiveEntry

    ids = {pk for pk in entry_ids if pk}
    if not ids or not events.public_event.receivers:
        return 0
    visible = (
        LiveEntry.objects.visible(now or timezone.now())
        .filter(pk__in=ids)
        .select_related("page", "author")
        .order_by("published_at", "pk")
    )
    told = 0
    for entry in visible:
        events.public_event.send(
            sender=LiveEntry,
            event=UPDATED if updated else EVENT,
            data=updated_data(entry) if updated else entry_data(entry),
            story_id=entry.page_id,
        )
        told += 1
    return told


def still_public(data: dict) -> bool:
    from .models import LiveEntry

    return LiveEntry.objects.visible().filter(pk=data.get("id")).exists()


def register() -> None:
    events.register_check(EVENT, still_public)
    events.register_check(UPDATED, still_public)
