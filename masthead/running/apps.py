from django.apps import AppConfig


class RunningConfig(AppConfig):
    name = "masthead.running"
    label = "running"
    default_auto_field = "django.db.models.BigAutoField"
    verbose_name = "Running stories"

    def ready(self):
        from . import signals

        signals.connect()
