from django.apps import AppConfig


class WebhooksConfig(AppConfig):
    name = "masthead.webhooks"
    label = "webhooks"
    verbose_name = "Webhooks"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from . import events

        events.connect()
