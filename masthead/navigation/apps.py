from django.apps import AppConfig


class NavigationConfig(AppConfig):
    name = "masthead.navigation"
    label = "navigation"
    default_auto_field = "django.db.models.BigAutoField"
    verbose_name = "Site identity and menus"

    def ready(self):
        from masthead.core import changes

        from .models import Menus, SiteIdentity

        # Both show on every page (masthead, menus, footer, JSON-LD, feeds).
        changes.watch([SiteIdentity, Menus], (changes.SITE,))
