from django.apps import AppConfig


class BackgroundConfig(AppConfig):
    name = "masthead.background"
    label = "background"
    verbose_name = "Background worker"
    default_auto_field = "django.db.models.BigAutoField"
