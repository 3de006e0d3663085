from django.apps import AppConfig


class SectionsConfig(AppConfig):
    name = "masthead.sections"
    label = "sections"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from masthead.core import changes

        from .models import HomePage, SectionPage, Topic

        # Sections and the home page are in every page's navigation and hold listings.
        changes.register_page_type(HomePage, (changes.SITE, changes.STORIES))
        changes.register_page_type(SectionPage, (changes.SITE, changes.STORIES))
        # Topics label teasers and have pages of their own; their names feed the
        # vocabularies.
        changes.watch([Topic], (changes.STORIES, changes.WORDS))
