from django.apps import AppConfig


class OperationsConfig(AppConfig):
    name = "masthead.operations"
    label = "operations"
    verbose_name = "Operations"

    def ready(self):
        from masthead.compat import publishing, submission_notices

        publishing.install()
        submission_notices.install()
