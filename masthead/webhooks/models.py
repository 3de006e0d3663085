"""Partners' webhook endpoints and every delivery made to them."""

import base64
import secrets

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel

from .catalogue import EVENT_NAMES, EVENTS  # noqa: F401 - EVENTS is imported from here too
from .forms import EndpointForm


def new_secret() -> str:
    """Return a Standard Webhooks signing secret: "whsec_" and 24 random bytes in base64."""
    return "whsec_" + base64.b64encode(secrets.token_bytes(24)).decode()


class WebhookEndpoint(models.Model):
    name = models.CharField(
        max_length=120, help_text=_("Who receives these, e.g. 'Coastal Herald'.")
    )
    url = models.URLField(
        max_length=500, help_text=_("The partner's address that receives events.")
    )
    events = models.JSONField(default=list, help_text=_("The events sent to this address."))
    secret = models.CharField(
        max_length=80,
        default=new_secret,
        editable=False,
        help_text=_("Give this to the partner: it checks each delivery's signature with it."),
    )
    allow_private_address = models.BooleanField(
        default=False,
        help_text=_(
            "Allow an address on this machine or the local network (loopback, private, "
            "link-local). Leave off unless the receiver is yours."
        ),
    )
    active = models.BooleanField(default=True)
    paused_at = models.DateTimeField(
        null=True,
        blank=True,
        editable=False,
        help_text=_("Set when deliveries kept failing; save the endpoint as active to resume."),
    )
    consecutive_failures = models.PositiveIntegerField(default=0, editable=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    base_form_class = EndpointForm
    panels = [
        FieldPanel("name"),
        FieldPanel("url"),
        FieldPanel("secret", read_only=True),
        FieldPanel("events"),
        FieldPanel("allow_private_address"),
        FieldPanel("active"),
    ]

    class Meta:
        ordering = ["name"]
        verbose_name = _("webhook endpoint")

    def __str__(self) -> str:
        return self.name

    def clean(self):
        super().clean()
        unknown = set(self.events or []) - set(EVENT_NAMES)
        if unknown:
            raise ValidationError({"events": _("Unknown events: %s") % ", ".join(sorted(unknown))})
        if self.url and not self.allow_private_address:
            from .sending import check_target

            error = check_target(self.url, allow_private=False)
            if error:
                raise ValidationError({"url": error})

    @property
    def is_paused(self) -> bool:
        return self.paused_at is not None


class WebhookDelivery(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        DELIVERED = "delivered", _("Delivered")
        FAILED = "failed", _("Failed (gave up)")
        CANCELLED = "cancelled", _("Cancelled (story no longer public)")

    endpoint = models.ForeignKey(
        WebhookEndpoint, on_delete=models.CASCADE, related_name="deliveries"
    )
    event = models.CharField(max_length=40)
    message_id = models.CharField(max_length=64, unique=True)
    article_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    payload = models.JSONField()
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    last_status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    last_response_ms = models.PositiveIntegerField(null=True, blank=True)
    last_error = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    delivered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("webhook delivery")
        verbose_name_plural = _("webhook deliveries")

    def __str__(self) -> str:
        return f"{self.event} to {self.endpoint} ({self.status})"


class StoryNotice(models.Model):
    """What partners were last told about a story: decides published/updated/corrected,
    and whether an unpublish or deletion may be mentioned at all."""

    article_id = models.BigIntegerField(unique=True)
    corrections = models.PositiveIntegerField(default=0)
    updated_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"story {self.article_id}"
