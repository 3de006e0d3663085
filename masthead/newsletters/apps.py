from django.apps import AppConfig


class NewslettersConfig(AppConfig):
    name = "masthead.newsletters"
    label = "newsletters"
    verbose_name = "Newsletters"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from masthead.background import every
        from masthead.core import changes

        from . import signals  # noqa: F401
        from .digests import send_due_digests
        from .models import Newsletter

        every(60, send_due_digests)
        # The sign-up box in every page lists the public newsletters.
        changes.watch([Newsletter], [changes.SITE], ignore_fields=["digest_last_sent_at"])
