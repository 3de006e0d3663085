"""The newsroom's editorial settings, its word list and the log of overrides."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting

from .findings import BLOCKING, CHECKS, OFF, WARNING

LEVEL_CHOICES = [
    (OFF, _("Off")),
    (WARNING, _("Warning")),
    (BLOCKING, _("Blocking: an editor must give a reason to publish")),
]


def _level_field(label: str, default: str = WARNING) -> models.CharField:
    return models.CharField(
        max_length=10, choices=LEVEL_CHOICES, default=default, verbose_name=label
    )


@register_setting(icon="tasks")
class EditorialSettings(BaseSiteSetting):
    """How strict each editorial check is for this site."""

    spelling = _level_field(_("spelling"))
    names = _level_field(_("name consistency"), BLOCKING)
    titles = _level_field(_("title and role consistency"))
    mechanics = _level_field(_("mechanics"))
    completeness = _level_field(_("completeness"))

    panels = [
        MultiFieldPanel(
            [FieldPanel(check) for check in CHECKS],
            heading=_("Checks"),
            help_text=_(
                "Warnings are shown to the editor. Blocking findings stop publishing until "
                "an editor overrides them with a reason, which is logged."
            ),
        )
    ]

    class Meta:
        verbose_name = _("editorial checks")

    def __str__(self) -> str:
        return str(self.site)

    def levels(self) -> dict[str, str]:
        return {check: getattr(self, check) for check in CHECKS}


class NewsroomWord(models.Model):
    """A word the spelling check accepts: a local place, a name, house jargon."""

    word = models.CharField(
        max_length=80,
        unique=True,
        help_text=_(
            "Write names with their capitals ('Tesk'); a name written here is also the "
            "spelling the name check trusts."
        ),
    )
    note = models.CharField(max_length=200, blank=True, help_text=_("Why the word is allowed."))

    panels = [FieldPanel("word"), FieldPanel("note")]

    class Meta:
        ordering = ["word"]
        verbose_name = _("newsroom word")

    def __str__(self) -> str:
        return self.word


class EditorialOverride(models.Model):
    """An editor published a story past blocking findings; who, when and why."""

    page = models.ForeignKey("wagtailcore.Page", on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    reason = models.TextField()
    findings = models.JSONField(default=list)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("editorial override")
        permissions = [
            ("override_blocking", _("Can publish a story past blocking editorial findings"))
        ]

    def __str__(self) -> str:
        return f"{self.page_id} {self.created_at:%Y-%m-%d %H:%M}"
