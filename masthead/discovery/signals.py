"""Keep precomputed related stories in step with publishing."""

import logging

from django.db.models.signals import pre_delete
from wagtail.signals import page_published, page_unpublished

from masthead.articles.models import ArticlePage
from masthead.core.signals import pages_published_in_bulk

from . import related

logger = logging.getLogger(__name__)


def on_published(sender, instance, **kwargs):
    related.update_for(instance)


def on_published_in_bulk(sender, page_ids, progress=None, **kwargs):
    related.update_many(page_ids, progress.callback("related") if progress else None)


def on_unpublished(sender, instance, **kwargs):
    related.remove_article(instance.pk)


def on_deleted(sender, instance, **kwargs):
    related.remove_article(instance.pk)


def connect() -> None:
    page_published.connect(on_published, sender=ArticlePage, dispatch_uid="discovery-published")
    pages_published_in_bulk.connect(
        on_published_in_bulk, sender=ArticlePage, dispatch_uid="discovery-published-bulk"
    )
    page_unpublished.connect(
        on_unpublished, sender=ArticlePage, dispatch_uid="discovery-unpublished"
    )
    pre_delete.connect(on_deleted, sender=ArticlePage, dispatch_uid="discovery-deleted")
