"""Invalidate cached pages when content changes (one listener of ``content_changed``)."""

import logging

from masthead.core.changes import content_changed

from . import tags

logger = logging.getLogger("masthead.caching")

# Kinds that concern every page: whole-site events and settings.
SITE_WIDE = {"imported", "restored", "restricted", "site", "moved"}


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


def _page_tags(page) -> set[str]:
    from masthead.articles.models import ArticlePage

    specific = page.specific_deferred if hasattr(page, "specific_deferred") else page
    if isinstance(specific, ArticlePage):
        return story_tags(specific)
    # Sections and the home page appear in every page's navigation.
    return {tags.SITE, tags.page(page.pk)}


def _instance_tags(instance) -> set[str]:
    from masthead.people.models import Author
    from masthead.running.models import RunningStory
    from masthead.sections.models import Topic

    if isinstance(instance, RunningStory):
        # Its page; the pages of its stories are announced one by one (running.signals).
        return {tags.running(instance.pk)}
    if isinstance(instance, Author):
        return {tags.author(instance.pk), tags.FEEDS}
    if isinstance(instance, Topic):
        return {tags.topic(instance.pk), tags.FEEDS}
    return {tags.SITE}


def on_content_changed(sender, kind, withdrawn=False, page=None, instance=None, **details):
    try:
        if kind == "ranked":
            names = {tags.POPULAR}
        elif kind == "words":
            return  # vocabularies are not on pages
        elif kind in SITE_WIDE:
            names = {tags.SITE} | (_page_tags(page) if page is not None else set())
        elif page is not None:
            names = _page_tags(page)
        else:
            names = _instance_tags(instance)
        tags.invalidate(names, hard=withdrawn)
    except Exception:
        # A cache outage must never stop an editor from publishing.
        logger.exception("Could not invalidate cached pages after a %s change", kind)


def connect() -> None:
    content_changed.connect(on_content_changed, dispatch_uid="masthead-cache-changes")
