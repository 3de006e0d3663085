"""Wagtail's sign-in form, telling a locked-out user why and for how long."""

from django.core.exceptions import ValidationError
from wagtail.admin.forms.auth import LoginForm

from . import throttle


class ThrottledLoginForm(LoginForm):
    def clean(self):
        username = self.cleaned_data.get("username")
        if throttle.is_locked(username, self.request):
            raise ValidationError(throttle.lock_message(), code="locked")
        return super().clean()
