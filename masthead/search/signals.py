"""Keep the search index in step with publishing.

Wagtail reindexes a page in its ``post_save`` handler, but a published revision saves
the page before its bylines and topics (modelcluster writes child rows after the
parent), so the entry would miss a newly added author or topic. Reindexing once more
when the publish is announced (``content_changed``) catches them. The "did you mean"
vocabulary follows the ``WORDS`` counter (suggest.py) and needs no receiver.
"""

from django.db.models.signals import pre_save
from wagtail.search import index

from masthead.core.changes import content_changed

from .fields import forget_search_values


def _story_saving(sender, instance, **kwargs):
    forget_search_values(instance)


def _content_changed(sender, kind, page=None, **kwargs):
    from masthead.articles.models import ArticlePage

    if kind != "published" or page is None:
        return
    story = page.specific_deferred if hasattr(page, "specific_deferred") else page
    if isinstance(story, ArticlePage):
        forget_search_values(story)
        index.insert_or_update_object(story)


def _connect():
    from masthead.articles.models import ArticlePage

    content_changed.connect(_content_changed, dispatch_uid="search-published")
    pre_save.connect(_story_saving, sender=ArticlePage, dispatch_uid="search_saving")


_connect()
