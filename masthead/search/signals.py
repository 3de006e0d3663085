"""Keep the search index and the "did you mean" vocabulary in step with publishing.

Wagtail reindexes a page in its ``post_save`` handler, but a published revision saves
the page before its bylines and topics (modelcluster writes child rows after the
parent), so the entry would miss a newly added author or topic. Reindexing once more on
``page_published`` catches them.
"""

from django.db.models.signals import post_delete, pre_save
from wagtail.search import index
from wagtail.signals import page_published, page_unpublished

from . import suggest
from .fields import forget_search_values


def _vocabulary_changed(sender, **kwargs):
    suggest.invalidate()


def _story_saving(sender, instance, **kwargs):
    forget_search_values(instance)


def _story_published(sender, instance, **kwargs):
    forget_search_values(instance)
    index.insert_or_update_object(instance)
    suggest.invalidate()


def _stories_published_in_bulk(sender, **kwargs):
    # The importer indexes the stories itself in batches; the vocabulary goes stale.
    suggest.invalidate()


def _connect():
    from masthead.articles.models import ArticlePage
    from masthead.core.signals import pages_published_in_bulk

    page_published.connect(_story_published, sender=ArticlePage, dispatch_uid="search_published")
    pages_published_in_bulk.connect(
        _stories_published_in_bulk, sender=ArticlePage, dispatch_uid="search_published_bulk"
    )
    page_unpublished.connect(
        _vocabulary_changed, sender=ArticlePage, dispatch_uid="search_unpublished"
    )
    pre_save.connect(_story_saving, sender=ArticlePage, dispatch_uid="search_saving")
    post_delete.connect(_vocabulary_changed, sender=ArticlePage, dispatch_uid="search_deleted")


_connect()
