"""Keep precomputed related stories in step with publishing."""

import logging

from django.db.models.signals import pre_delete
from wagtail.signals import page_published, page_unpublished

from masthead.articles.models import ArticlePage
from masthead.core import generation
from masthead.core.signals import pages_published_in_bulk

from . import related
from .services import GENERATION

logger = logging.getLogger(__name__)


def on_published(sender, instance, **kwargs):
    related.update_for(instance)
    # Related lists are rewritten after the page is saved: bump again once they are.
    generation.bump(GENERATION)


def on_published_in_bulk(sender, page_ids, progress=None, **kwargs):
    related.update_many(page_ids, progress.callback("related") if progress else None)
    generation.bump(GENERATION)


def on_unpublished(sender, instance, **kwargs):
    related.remove_article(instance.pk)
    generation.bump(GENERATION)


def on_deleted(sender, instance, **kwargs):
    related.remove_article(instance.pk)
    generation.bump(GENERATION)


def on_curation_changed(sender, **kwargs):
    generation.bump(GENERATION)


def connect() -> None:
    from django.db.models.signals import post_delete, post_save

    from .models import Pick, PickList, RelatedExclusion, RelatedPin

    for model in (Pick, PickList, RelatedPin, RelatedExclusion):
        post_save.connect(
            on_curation_changed, sender=model, dispatch_uid=f"discovery-save-{model.__name__}"
        )
        post_delete.connect(
            on_curation_changed, sender=model, dispatch_uid=f"discovery-del-{model.__name__}"
        )
    page_published.connect(on_published, sender=ArticlePage, dispatch_uid="discovery-published")
    pages_published_in_bulk.connect(
        on_published_in_bulk, sender=ArticlePage, dispatch_uid="discovery-published-bulk"
    )
    page_unpublished.connect(
        on_unpublished, sender=ArticlePage, dispatch_uid="discovery-unpublished"
    )
    pre_delete.connect(on_deleted, sender=ArticlePage, dispatch_uid="discovery-deleted")
