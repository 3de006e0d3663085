from django.apps import AppConfig


class DashboardConfig(AppConfig):
    name = "masthead.dashboard"
    label = "dashboard"
    default_auto_field = "django.db.models.BigAutoField"
    verbose_name = "Newsroom dashboard"
