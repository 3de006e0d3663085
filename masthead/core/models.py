"""Site-wide settings an editor can change from the admin."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting


@register_setting(icon="site")
class PublicationSettings(BaseSiteSetting):
    """The publication's identity as readers and machines see it."""

    tagline = models.CharField(
        max_length=200,
        blank=True,
        help_text=_("A short line shown under the publication name."),
    )
    default_source_name = models.CharField(
        max_length=120,
        blank=True,
        help_text=_(
            "The outlet named in a story's source line when the story sets none. "
            "Leave empty to use the site name."
        ),
    )
    about = models.TextField(blank=True, help_text=_("One paragraph about the newsroom."))

    panels = [FieldPanel("tagline"), FieldPanel("default_source_name"), FieldPanel("about")]

    class Meta:
        verbose_name = _("publication")

    def __str__(self) -> str:
        return str(self.site)


def default_source_name(site_id: int) -> str:
    """Return the site's configured default source name ("" if none), cached until it changes."""
    from . import changes

    def compute() -> str:
        return (
            PublicationSettings.objects.filter(site_id=site_id)
            .values_list("default_source_name", flat=True)
            .first()
            or ""
        )

    return changes.cached(f"default-source:{site_id}", changes.SITE, compute)


class SharedStateEntry(models.Model):
    """One key of the shared state while Redis is unreachable (core.failover).

    Empty while Redis is up: the process that sees Redis come back moves the rows there.
    """

    key = models.CharField(max_length=250, primary_key=True)
    # Integers (counters, throttle counts) here, so that an increment is one UPDATE.
    number = models.BigIntegerField(null=True, blank=True)
    value = models.BinaryField(default=b"", blank=True)
    expires = models.DateTimeField(null=True, blank=True, db_index=True)

    class Meta:
        verbose_name = _("shared state entry")
        verbose_name_plural = _("shared state entries")

    def __str__(self) -> str:
        return self.key
