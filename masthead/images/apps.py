from django.apps import AppConfig


class ImagesConfig(AppConfig):
    name = "masthead.images"
    label = "images"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from . import srcset

        srcset.install()
