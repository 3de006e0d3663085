from django.apps import AppConfig


class EditorialConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "masthead.editorial"
    label = "editorial"
    verbose_name = "Editorial checks"

    def ready(self):
        from . import checks, signals  # noqa: F401
