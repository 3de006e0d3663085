"""Keep the cached section navigation and story lists in step with the page tree."""

from django.core.cache import cache
from wagtail.signals import page_published, page_unpublished, post_page_move

from masthead.core import generation

from .listing import GENERATION


def forget_navigation(sender, instance, **kwargs):
    from wagtail.models import Site

    cache.delete_many([f"masthead:nav:{pk}" for pk in Site.objects.values_list("pk", flat=True)])


def forget_story_lists(sender, **kwargs):
    """Make cached lists of story ids and sections (discovery, teasers) obsolete."""
    generation.bump(GENERATION)


def connect() -> None:
    from django.db.models.signals import post_delete, post_save
    from wagtail.models import PageViewRestriction, Site

    from masthead.articles.models import ArticlePage

    from .models import HomePage, SectionPage

    # Saving a page covers publishing, unpublishing, scheduling and factories alike.
    for model in (ArticlePage, SectionPage, HomePage, PageViewRestriction):
        post_save.connect(
            forget_story_lists, sender=model, dispatch_uid=f"lists-save-{model.__name__}"
        )
        post_delete.connect(
            forget_story_lists, sender=model, dispatch_uid=f"lists-del-{model.__name__}"
        )
    post_page_move.connect(forget_story_lists, dispatch_uid="lists-moved")
    # The cached sites and their home pages (sections.routing).
    post_save.connect(forget_story_lists, sender=Site, dispatch_uid="lists-site-save")
    post_delete.connect(forget_story_lists, sender=Site, dispatch_uid="lists-site-del")

    # A section made private must leave the navigation at once.
    post_save.connect(forget_navigation, sender=PageViewRestriction, dispatch_uid="nav-pvr-save")
    post_delete.connect(forget_navigation, sender=PageViewRestriction, dispatch_uid="nav-pvr-del")

    for model in (HomePage, SectionPage):
        page_published.connect(
            forget_navigation, sender=model, dispatch_uid=f"nav-pub-{model.__name__}"
        )
        page_unpublished.connect(
            forget_navigation, sender=model, dispatch_uid=f"nav-unpub-{model.__name__}"
        )
