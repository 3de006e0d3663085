from django.apps import AppConfig


class PagesConfig(AppConfig):
    name = "masthead.pages"
    label = "pages"
    default_auto_field = "django.db.models.BigAutoField"
    verbose_name = "Pages that are not stories"

    def ready(self):
        from masthead.core import changes

        from .models import InformationPage

        # In the footer, the menus and the publisher's JSON-LD of every page; never in a
        # story list.
        changes.register_page_type(InformationPage, (changes.SITE,))
        # The search fields cache their values per object: forget them before a save.
        from django.db.models.signals import pre_save

        from masthead.search.fields import forget_search_values

        pre_save.connect(
            lambda sender, instance, **kwargs: forget_search_values(instance),
            sender=InformationPage,
            dispatch_uid="pages_search_saving",
            weak=False,
        )
