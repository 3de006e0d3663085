"""The fast entry form: one entry per save, checked like a story, publishing by role."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.html import strip_tags
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm

PUBLISH_ENTRIES = "live.publish_liveentry"


def _has_content(block) -> bool:
    if block.block_type not in ("paragraph", "heading"):
        return True
    value = block.value
    return bool(strip_tags(getattr(value, "source", None) or str(value or "")).strip())


class LiveEntryForm(WagtailAdminModelForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.findings: list = []
        user = self.for_user
        if "status" in self.fields and not (user and user.has_perm(PUBLISH_ENTRIES)):
            # Contributors write drafts; an editor publishes them. A hand-made POST with
            # "published" is refused by the field's choices, not silently accepted.
            from .models import LiveEntry

            self.fields["status"].choices = [(LiveEntry.Status.DRAFT, LiveEntry.Status.DRAFT.label)]
            self.fields["status"].initial = LiveEntry.Status.DRAFT
            self.fields["status"].help_text = _("An editor publishes your entry.")
        if "page" in self.fields:
            from .models import LivePage

            self.fields["page"].queryset = LivePage.objects.order_by("-coverage_start")
            self.fields["page"].label = _("Live page")
            self.fields["page"].widget = forms.Select(choices=self.fields["page"].choices)

    def clean(self):
        cleaned = super().clean()
        body = cleaned.get("body")
        if body is None or self.errors:
            return cleaned
        if not any(_has_content(block) for block in body):
            self.add_error("body", _("Write something in the entry before saving it."))
            return cleaned
        from .checks import check_entry

        author = cleaned.get("author")
        page = cleaned.get("page")
        site = page.get_site() if page is not None else None
        self.findings = check_entry(
            cleaned.get("headline") or "", body, author.name if author else None, site
        )
        blocking = [f for f in self.findings if f.blocking]
        if blocking and cleaned.get("status") == "published":
            raise ValidationError(
                [
                    _(
                        "Not published: %(count)d blocking editorial findings. Fix them or save the entry as a draft."
                    )
                    % {"count": len(blocking)},
                    *[f"{f.message} {f'({f.text})' if f.text else ''}".strip() for f in blocking],
                ]
            )
        return cleaned
