from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm


class ApiKeyForm(WagtailAdminModelForm):
    revoke = forms.BooleanField(
        required=False,
        label=_("Revoke this key"),
        help_text=_(
            "The key stops working at once. This cannot be undone; issue a new key instead."
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is None or self.instance.revoked_at is not None:
            self.fields.pop("revoke", None)

    def save(self, commit=True):
        if self.cleaned_data.get("revoke") and self.instance.revoked_at is None:
            self.instance.revoked_at = timezone.now()
        return super().save(commit=commit)
