"""The newsroom's image library: every image carries a default caption and credit."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.images.models import AbstractImage, AbstractRendition, Image


class MastheadImage(AbstractImage):
    caption = models.CharField(
        max_length=400,
        blank=True,
        help_text=_("Who, where, when. Used wherever a story does not give its own caption."),
    )
    credit = models.CharField(
        max_length=200,
        blank=True,
        help_text=_(
            "Who took or supplied the picture, e.g. 'Ana Petrosyan / Meridian Ledger'. "
            "Always shown with the image."
        ),
    )

    admin_form_fields = (*Image.admin_form_fields, "caption", "credit")

    @property
    def default_alt_text(self) -> str:
        # Wagtail's `description` field is the alt text; a caption is a better
        # fallback than the file title.
        return self.description or self.caption or self.title


class MastheadRendition(AbstractRendition):
    image = models.ForeignKey(MastheadImage, on_delete=models.CASCADE, related_name="renditions")

    class Meta:
        unique_together = (("image", "filter_spec", "focal_point_key"),)
