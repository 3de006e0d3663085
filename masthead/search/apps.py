from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "masthead.search"
    label = "masthead_search"
    verbose_name = "Reader search"

    def ready(self):
        from . import signals  # noqa: F401
