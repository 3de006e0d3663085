from django.apps import AppConfig


class SectionsConfig(AppConfig):
    name = "masthead.sections"
    label = "sections"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from . import signals

        signals.connect()
