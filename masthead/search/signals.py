"""Keep the search index and the "did you mean" vocabulary in step with publishing.

Wagtail reindexes a page in its ``post_save`` handler, but a published revision saves
the page before its bylines and topics (modelcluster writes child rows after the
parent), so the entry would miss a newly added author or topic. Reindexing once more on
``page_published`` catches them.
"""

from django.db.models.signals import post_delete, post_save
from wagtail.search import index
from wagtail.signals import page_published, page_unpublished

from . import suggest


def _vocabulary_changed(sender, **kwargs):
    suggest.invalidate()


def _story_published(sender, instance, **kwargs):
    index.insert_or_update_object(instance)
    suggest.invalidate()


def _connect():
    from masthead.articles.models import ArticlePage

    page_published.connect(_story_published, sender=ArticlePage, dispatch_uid="search_published")
    page_unpublished.connect(
        _vocabulary_changed, sender=ArticlePage, dispatch_uid="search_unpublished"
    )
    post_save.connect(_vocabulary_changed, sender=ArticlePage, dispatch_uid="search_saved")
    post_delete.connect(_vocabulary_changed, sender=ArticlePage, dispatch_uid="search_deleted")


_connect()
