"""Publishing an issue sends it; the editor's publish (or schedule) is the send button."""

from django.dispatch import receiver
from wagtail.signals import published

from .models import Issue


@receiver(published, sender=Issue, dispatch_uid="newsletters-send-on-publish")
def send_published_issue(sender, instance, **kwargs):
    from .sending import start_send

    start_send(instance)


from . import webhooks  # noqa: E402, F401  (provider events: bounces, complaints)
