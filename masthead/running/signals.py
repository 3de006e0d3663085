"""Say through ``masthead.core.changes`` when a running story or its members change.

Each member's page shows a "Part of" link and its neighbours, and the timeline depends
on every member's page tag, so the change is said about each member page (no counter
moves). The ids of all members, which story pages read, are dropped from the store.
"""

import logging

from django.db import transaction
from django.db.models.signals import post_delete, post_save

logger = logging.getLogger("masthead.running")


def _announce(running_id: int, extra_ids=(), kind: str = "edited") -> None:
    from masthead.articles.models import ArticlePage
    from masthead.core import changes

    from .models import RunningStory, RunningStoryMember, forget_member_ids

    forget_member_ids()
    if transaction.get_connection().in_atomic_block:
        transaction.on_commit(forget_member_ids)
    ids = set(
        RunningStoryMember.objects.filter(running_story_id=running_id).values_list(
            "story_id", flat=True
        )
    ) | set(extra_ids)
    for page in ArticlePage.objects.filter(pk__in=ids):
        changes.changed("edited", page=page, counters=())
    # The running story's own page (its name, description, order), even with no stories.
    changes.changed(kind, instance=RunningStory(pk=running_id), counters=())


def _story_saved(sender, instance, **kwargs) -> None:
    _announce(instance.pk)


def _story_deleted(sender, instance, **kwargs) -> None:
    _announce(instance.pk, kind="withdrawn")


def _member_changed(sender, instance, **kwargs) -> None:
    # Neighbours change too: every member's "Part of" links may move.
    _announce(instance.running_story_id, [instance.story_id])


def connect() -> None:
    from .models import RunningStory, RunningStoryMember

    post_save.connect(_story_saved, sender=RunningStory, dispatch_uid="running-story-saved")
    post_delete.connect(_story_deleted, sender=RunningStory, dispatch_uid="running-story-deleted")
    post_save.connect(
        _member_changed, sender=RunningStoryMember, dispatch_uid="running-member-saved"
    )
    post_delete.connect(
        _member_changed, sender=RunningStoryMember, dispatch_uid="running-member-deleted"
    )
