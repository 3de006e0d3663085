"""Invalidate cached pages when stories, sections, bylines or topics change."""

import logging

from django.db.models.signals import post_delete, post_save
from wagtail.signals import page_published, page_unpublished

from . import tags

logger = logging.getLogger("masthead.caching")


def story_tags(story) -> set[str]:
    """Return the tags of every page that shows ``story`` or would list it."""
    names = {tags.page(story.pk), tags.HOME, tags.FEEDS, tags.SITEMAPS}
    parent_path = story.path[: -story.steplen]
    from masthead.sections.models import SectionPage

    names.update(
        tags.section(pk)
        for pk in SectionPage.objects.filter(path=parent_path).values_list("pk", flat=True)
    )
    names.update(tags.topic(pk) for pk in story.article_topics.values_list("topic_id", flat=True))
    names.update(
        tags.author(pk) for pk in story.article_authors.values_list("author_id", flat=True)
    )
    return names


def _page_changed(instance, *, hard: bool) -> None:
    from masthead.articles.models import ArticlePage

    specific = instance.specific_deferred if hasattr(instance, "specific_deferred") else instance
    try:
        if isinstance(specific, ArticlePage):
            tags.invalidate(story_tags(specific), hard=hard)
        else:
            # Sections and the home page appear in every page's navigation.
            tags.invalidate([tags.SITE, tags.page(instance.pk)], hard=hard)
    except Exception:
        # A cache outage must never stop an editor from publishing.
        logger.exception("Could not invalidate cached pages for page %s", instance.pk)


def on_published(sender, instance, **kwargs):
    _page_changed(instance, hard=False)


def on_published_in_bulk(sender, page_ids, **kwargs):
    # Many new stories at once (an import): every listing may change, so the whole
    # site's cached pages go stale once instead of once per story.
    try:
        tags.invalidate([tags.SITE])
    except Exception:
        logger.exception("Could not invalidate cached pages after a bulk publish")


def on_unpublished(sender, instance, **kwargs):
    _page_changed(instance, hard=True)


def on_page_deleted(sender, instance, **kwargs):
    _page_changed(instance, hard=True)


def on_restriction_changed(sender, instance, **kwargs):
    # A page made private must vanish from every cached listing at once.
    tags.invalidate([tags.SITE], hard=True)


def on_snippet_saved(sender, instance, **kwargs):
    from masthead.people.models import Author
    from masthead.sections.models import Topic

    if isinstance(instance, Author):
        tags.invalidate([tags.author(instance.pk), tags.FEEDS])
    elif isinstance(instance, Topic):
        tags.invalidate([tags.topic(instance.pk), tags.FEEDS])
    else:
        tags.invalidate([tags.SITE])


def connect() -> None:
    from wagtail.images import get_image_model
    from wagtail.models import Page, PageViewRestriction

    from masthead.core.signals import pages_published_in_bulk
    from masthead.people.models import Author
    from masthead.sections.models import Topic

    page_published.connect(on_published, dispatch_uid="masthead-cache-published")
    page_unpublished.connect(on_unpublished, dispatch_uid="masthead-cache-unpublished")
    pages_published_in_bulk.connect(on_published_in_bulk, dispatch_uid="masthead-cache-bulk")
    for model in [Page, *Page.__subclasses__()]:
        post_delete.connect(
            on_page_deleted, sender=model, dispatch_uid=f"masthead-cache-del-{model.__name__}"
        )
    post_save.connect(
        on_restriction_changed, sender=PageViewRestriction, dispatch_uid="masthead-cache-pvr"
    )
    post_delete.connect(
        on_restriction_changed, sender=PageViewRestriction, dispatch_uid="masthead-cache-pvr-del"
    )
    for model in (Author, Topic, get_image_model()):
        post_save.connect(
            on_snippet_saved, sender=model, dispatch_uid=f"masthead-cache-{model.__name__}"
        )
