"""The newsroom's editorial settings, its word list and the log of overrides."""

from django.conf import settings
from django.db import models, transaction
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.models import AbstractGroupApprovalTask

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


class EditorialApprovalTask(AbstractGroupApprovalTask):
    """An editor approves a submitted story; the editorial checks run at approval.

    Approval publishes the story's latest version (Wagtail's ``publish_workflow_state``),
    which may be newer than the submitted one when an editor changed it meanwhile, so
    that is the version checked. Approving a story with blocking findings is refused
    unless the approver may override them and gives the reason as the approval's comment
    ("Approve with comment"), which is logged as an EditorialOverride. A refused approval
    sends the story back to its author ("Request changes") with the findings as the
    comment, so nothing is lost and the author sees what to fix; the editor is told why.

    When another publishing gate (masthead.operations.gate) refuses the story, the
    approval does not happen at all: ``PublishRefused`` leaves this method, whose
    transaction undoes the approval Wagtail had begun, so the task and the workflow stay
    in progress and nothing is published or scheduled; PublishRefusedMiddleware shows the
    editor the reasons.
    """

    @transaction.atomic
    def on_action(self, task_state, user, action_name, **kwargs):
        if action_name == "approve":
            blocking = self._blocking_findings(task_state)
            if blocking:
                reason = (kwargs.get("comment") or "").strip()
                if reason and user.has_perm("editorial.override_blocking"):
                    EditorialOverride.objects.create(
                        page_id=task_state.revision.object_id,
                        user=user,
                        reason=reason,
                        findings=[f.as_dict() for f in blocking],
                    )
                else:
                    self._send_back(task_state, user, blocking)
                    return None
        return super().on_action(task_state, user, action_name, **kwargs)

    @staticmethod
    def _send_back(task_state, user, blocking) -> None:
        from masthead.operations.gate import tell_editor

        summary = "; ".join(f.message for f in blocking[:5])
        comment = str(
            _(
                "Not approved: %(count)d blocking editorial findings (%(summary)s). "
                "Fix them, or approve with a comment giving the reason."
            )
            % {"count": len(blocking), "summary": summary}
        )
        task_state.reject(user=user, comment=comment)
        tell_editor(comment + " " + str(_("The story went back to its author with this comment.")))

    @staticmethod
    def _blocking_findings(task_state) -> list:
        from masthead.articles.models import ArticlePage

        from .services import check_page

        page = task_state.workflow_state.content_object
        # What approval publishes: the latest revision, not necessarily the submitted one.
        revision = page.get_latest_revision() or task_state.revision
        story = revision.as_object()
        if not isinstance(story, ArticlePage):
            return []
        return [f for f in check_page(story) if f.blocking]

    @classmethod
    def get_description(cls):
        return _(
            "Members of the chosen groups approve the story; blocking editorial findings "
            "need an approval with a comment giving the reason."
        )

    class Meta:
        verbose_name = _("editor approval (with editorial checks)")
        verbose_name_plural = _("editor approvals (with editorial checks)")
