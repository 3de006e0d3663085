from django.apps import AppConfig


class EditorialConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "masthead.editorial"
    label = "editorial"
    verbose_name = "Editorial checks"

    def ready(self):
        from masthead.core import changes

        from . import checks  # noqa: F401
        from .models import NewsroomWord

        # Words accepted as correct join the newsroom dictionary (newsroom.py).
        changes.watch([NewsroomWord], (changes.WORDS,))
