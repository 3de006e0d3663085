from django.apps import AppConfig
from django.db.models.signals import post_migrate


class AccountsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "masthead.accounts"
    label = "accounts"
    verbose_name = "Accounts and roles"

    def ready(self):
        from . import roles, throttle  # noqa: F401

        post_migrate.connect(
            roles.give_administrators_every_permission, dispatch_uid="masthead-admin-role"
        )
