from django.apps import AppConfig


class RepublishingConfig(AppConfig):
    name = "masthead.republishing"
    label = "republishing"
    verbose_name = "Republishing"
    default_auto_field = "django.db.models.BigAutoField"
