"""Partners' API keys and the switches of the read API."""

import hashlib
import hmac
import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting

from .forms import ApiKeyForm

KEY_PREFIX = "mh"
# A used key's time is written at most this often, so a busy partner costs no write
# per request.
LAST_USED_RESOLUTION = 60


def hash_secret(secret: str) -> str:
    """Return the digest kept for a key's secret part.

    The secret is 32 random bytes, so a fast hash is enough: no dictionary or brute
    force reaches it, unlike a password (GitHub's tokens are stored the same way).
    """
    return hashlib.sha256(secret.encode()).hexdigest()


class ApiKeyQuerySet(models.QuerySet):
    def active(self) -> "ApiKeyQuerySet":
        return self.filter(revoked_at__isnull=True)


class ApiKey(models.Model):
    name = models.CharField(
        max_length=120, help_text=_("Who uses this key, e.g. 'Coastal Herald (republishing)'.")
    )
    prefix = models.CharField(max_length=16, unique=True, editable=False)
    key_hash = models.CharField(max_length=64, editable=False)
    sections = models.ManyToManyField(
        "sections.SectionPage",
        blank=True,
        related_name="+",
        help_text=_("Limit the key to these sections. Leave empty for every section."),
    )
    rate_per_minute = models.PositiveIntegerField(
        null=True,
        blank=True,
        help_text=_("Requests a minute this key may make. Leave empty for the site's default."),
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    last_used_at = models.DateTimeField(null=True, blank=True, editable=False)
    revoked_at = models.DateTimeField(null=True, blank=True, editable=False)

    panels = [
        FieldPanel("name"),
        FieldPanel("sections"),
        FieldPanel("rate_per_minute"),
        FieldPanel("revoke"),
    ]
    base_form_class = ApiKeyForm

    objects = ApiKeyQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("API key")
        verbose_name_plural = _("API keys")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None

    def issue(self) -> str:
        """Give the key a new secret and return the full key, which is never stored."""
        self.prefix = secrets.token_hex(4)
        secret = secrets.token_urlsafe(32)
        self.key_hash = hash_secret(secret)
        return f"{KEY_PREFIX}_{self.prefix}_{secret}"

    def matches(self, secret: str) -> bool:
        return hmac.compare_digest(self.key_hash, hash_secret(secret))

    def revoke(self) -> None:
        if self.revoked_at is None:
            self.revoked_at = timezone.now()
            self.save(update_fields=["revoked_at"])

    def touch(self) -> None:
        """Record that the key was used now (at most once a minute)."""
        now = timezone.now()
        if self.last_used_at and (now - self.last_used_at).total_seconds() < LAST_USED_RESOLUTION:
            return
        type(self).objects.filter(pk=self.pk).update(last_used_at=now)
        self.last_used_at = now

    def section_paths(self) -> list[str]:
        """Return the tree paths of the sections the key is limited to ([] = all)."""
        return list(self.sections.values_list("path", flat=True))


def parse_key(raw: str) -> tuple[str, str] | None:
    """Return (prefix, secret) of a presented key, or None if it is not shaped like one."""
    parts = (raw or "").strip().split("_", 2)
    if len(parts) != 3 or parts[0] != KEY_PREFIX or not parts[1] or not parts[2]:
        return None
    return parts[1], parts[2]


@register_setting(icon="code")
class ApiSettings(BaseSiteSetting):
    """Who may read the API without a key, and how fast."""

    allow_anonymous = models.BooleanField(
        default=True,
        help_text=_(
            "Let anyone read published stories through the API without a key. "
            "Turn off to serve partners with keys only."
        ),
    )
    anonymous_rate_per_minute = models.PositiveIntegerField(
        default=60, help_text=_("Requests a minute one address may make without a key.")
    )
    key_rate_per_minute = models.PositiveIntegerField(
        default=600, help_text=_("Requests a minute a key may make unless the key says otherwise.")
    )

    panels = [
        FieldPanel("allow_anonymous"),
        FieldPanel("anonymous_rate_per_minute"),
        FieldPanel("key_rate_per_minute"),
    ]

    class Meta:
        verbose_name = _("API")

    def __str__(self) -> str:
        return str(self.site)
