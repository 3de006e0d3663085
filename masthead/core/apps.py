from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "masthead.core"
    label = "core"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from django.db.models.signals import post_delete, post_save

        from . import generation
        from .models import PublicationSettings

        def forget(sender, **kwargs):
            generation.bump("publication")

        post_save.connect(forget, sender=PublicationSettings, dispatch_uid="core-publication")
        post_delete.connect(forget, sender=PublicationSettings, dispatch_uid="core-publication-del")

        from . import publishing

        publishing.install()
