from django import forms
from django.utils.translation import gettext_lazy as _

from .addresses import AddressError, normalise


class SignupForm(forms.Form):
    email = forms.CharField(label=_("E-mail address"), max_length=600, strip=False)
    newsletter = forms.MultipleChoiceField(label=_("Newsletters"), required=False)
    # Left empty by people; filled by many form-filling robots. Hidden with CSS.
    website = forms.CharField(required=False, max_length=200)

    def __init__(self, *args, newsletters=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.newsletters = list(newsletters)
        self.fields["newsletter"].choices = [(str(n.pk), n.name) for n in self.newsletters]

    def clean_email(self):
        try:
            return normalise(self.cleaned_data["email"])
        except AddressError as exc:
            raise forms.ValidationError(str(exc)) from None

    def chosen(self):
        ids = set(self.cleaned_data.get("newsletter") or [])
        if not ids and len(self.newsletters) == 1:
            return self.newsletters
        return [n for n in self.newsletters if str(n.pk) in ids]
