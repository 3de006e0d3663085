from django.apps import AppConfig


class ImagesConfig(AppConfig):
    name = "masthead.images"
    label = "images"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from wagtail.images import get_image_model

        from masthead.compat import srcset
        from masthead.core import changes

        srcset.install()
        # Pictures appear on every kind of page. Wagtail records a picture's size and
        # hash with a save of those fields alone: nothing a reader sees changes.
        changes.watch(
            [get_image_model()],
            (changes.SITE, changes.STORIES),
            ignore_fields=["file_size", "file_hash"],
        )
