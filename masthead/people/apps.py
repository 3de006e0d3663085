from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "masthead.people"
    label = "people"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from masthead.core import changes

        from .models import Author

        # Bylines are on teasers and author pages; names feed the vocabularies.
        changes.watch([Author], (changes.STORIES, changes.WORDS))
