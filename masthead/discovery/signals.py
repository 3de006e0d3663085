"""Keep precomputed related stories in step with publishing (from ``content_changed``)."""

import logging

from masthead.articles.models import ArticlePage
from masthead.core import changes

from . import related

logger = logging.getLogger(__name__)


def _story(page):
    if page is None:
        return None
    specific = page.specific_deferred if hasattr(page, "specific_deferred") else page
    return specific if isinstance(specific, ArticlePage) else None


def on_content_changed(sender, kind, page=None, page_ids=None, progress=None, **details):
    story = _story(page)
    if kind == "published" and story is not None:
        related.update_for(story)
    elif kind == "imported" and page_ids:
        related.update_many(page_ids, progress.callback("related") if progress else None)
    elif kind == "unpublished" and story is not None:
        related.remove_article(story.pk)
    else:
        return
    # Related lists are rewritten after the change was announced: their cached copies
    # go once more.
    changes.bump(changes.STORIES)


def on_deleted(sender, instance, **kwargs):
    # Before the rows go: the story's index entry tells which lists it was on.
    related.remove_article(instance.pk)
    changes.bump(changes.STORIES)


def connect() -> None:
    from django.db.models.signals import pre_delete

    from .models import Pick, PickList, RelatedExclusion, RelatedPin

    pre_delete.connect(on_deleted, sender=ArticlePage, dispatch_uid="discovery-deleted")
    changes.watch([Pick, PickList, RelatedPin, RelatedExclusion], (changes.STORIES,))
    changes.content_changed.connect(on_content_changed, dispatch_uid="discovery-changes")
