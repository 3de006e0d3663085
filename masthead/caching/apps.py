from django.apps import AppConfig


class CachingConfig(AppConfig):
    name = "masthead.caching"
    label = "caching"

    def ready(self):
        from . import signals

        signals.connect()
