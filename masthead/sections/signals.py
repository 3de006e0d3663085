"""Keep the cached section navigation in step with the page tree."""

from django.core.cache import cache
from wagtail.signals import page_published, page_unpublished


def forget_navigation(sender, instance, **kwargs):
    from wagtail.models import Site

    cache.delete_many([f"masthead:nav:{pk}" for pk in Site.objects.values_list("pk", flat=True)])


def connect() -> None:
    from django.db.models.signals import post_delete, post_save
    from wagtail.models import PageViewRestriction

    from .models import HomePage, SectionPage

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
