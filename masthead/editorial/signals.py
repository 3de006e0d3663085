"""Keep the learned newsroom dictionary in step with what is published."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from wagtail.signals import page_published, page_unpublished

from masthead.core.signals import pages_published_in_bulk

from .newsroom import invalidate


@receiver(page_published)
@receiver(page_unpublished)
@receiver(pages_published_in_bulk)
def _stories_changed(sender, **kwargs):
    invalidate()


def _connect_models():
    from masthead.people.models import Author
    from masthead.sections.models import Topic

    from .models import NewsroomWord

    for model in (NewsroomWord, Topic, Author):
        post_save.connect(_words_changed, sender=model, dispatch_uid=f"editorial-{model.__name__}")
        post_delete.connect(
            _words_changed, sender=model, dispatch_uid=f"editorial-del-{model.__name__}"
        )


def _words_changed(sender, **kwargs):
    invalidate()


_connect_models()
