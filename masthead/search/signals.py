"""Keep the "did you mean" vocabulary in step with what is published."""

from django.db.models.signals import post_delete, post_save
from wagtail.signals import page_published, page_unpublished

from . import suggest


def _story_changed(sender, **kwargs):
    suggest.invalidate()


def _connect():
    from masthead.articles.models import ArticlePage

    page_published.connect(_story_changed, sender=ArticlePage, dispatch_uid="search_vocab_pub")
    page_unpublished.connect(_story_changed, sender=ArticlePage, dispatch_uid="search_vocab_unpub")
    post_save.connect(_story_changed, sender=ArticlePage, dispatch_uid="search_vocab_save")
    post_delete.connect(_story_changed, sender=ArticlePage, dispatch_uid="search_vocab_del")


_connect()
