from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "masthead.core"
    label = "core"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from . import changes
        from .models import PublicationSettings

        changes.connect_wagtail()
        # The outlet's name, default source and address are on every page.
        changes.watch([PublicationSettings], (changes.SITE,), kind="site")

        from django.db.backends.signals import connection_created

        from . import checks  # noqa: F401 (registers itself)
        from .views import database_answered

        connection_created.connect(database_answered, dispatch_uid="core-database-answered")
