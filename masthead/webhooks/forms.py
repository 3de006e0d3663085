from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm

from .catalogue import EVENTS


class EndpointForm(WagtailAdminModelForm):
    events = forms.MultipleChoiceField(
        choices=EVENTS, widget=forms.CheckboxSelectMultiple, label=_("Events")
    )

    def save(self, commit=True):
        endpoint = self.instance
        if endpoint.active and endpoint.paused_at is not None:
            # Saved as active by an administrator: resume, and send what waited.
            endpoint.paused_at = None
            endpoint.consecutive_failures = 0
        return super().save(commit=commit)
