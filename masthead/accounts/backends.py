"""Django's model backend, refusing a locked username before checking its password."""

from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import PermissionDenied

from . import throttle


class ThrottledModelBackend(ModelBackend):
    def authenticate(self, request, username=None, password=None, **kwargs):
        # PermissionDenied stops authenticate() for every backend, so a locked account
        # is refused even with the right password (the password is not even checked).
        if request is not None and throttle.is_locked(username, request):
            raise PermissionDenied
        return super().authenticate(request, username=username, password=password, **kwargs)
