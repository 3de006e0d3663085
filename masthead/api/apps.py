from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "masthead.api"
    label = "api"
    verbose_name = "Read API"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from masthead.core import changes

        from .models import ApiSettings

        # Rarely saved; the site counter is the one that settings changes move.
        changes.watch([ApiSettings], (changes.SITE,))
