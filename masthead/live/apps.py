from django.apps import AppConfig


class LiveConfig(AppConfig):
    name = "masthead.live"
    label = "live"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from . import public_events, signals

        signals.connect()
        public_events.register()
