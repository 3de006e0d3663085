"""What each import run made, so a re-run updates instead of duplicating."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.documents import get_document_model_string


class ImportRecord(models.Model):
    """One imported thing (post, attachment, author, file, feed entry) and what it became.

    ``source`` names the origin (``wordpress:<site URL>`` or ``feed:<feed URL>``) and
    ``external_id`` the id there, so the same WordPress post id on two different sites
    never collides. ``content_hash`` is the hash of what was last written: a re-run
    with the same hash skips the item, so an editor's later changes survive.
    """

    class Kind(models.TextChoices):
        STORY = "story", _("Story")
        IMAGE = "image", _("Image")
        AUTHOR = "author", _("Author")
        MEDIA = "media", _("Audio or video")
        DOCUMENT = "document", _("Document")
        PAGE = "page", _("Page")
        MENU = "menu", _("Menu")

    source = models.CharField(max_length=255)
    kind = models.CharField(max_length=10, choices=Kind.choices)
    external_id = models.CharField(max_length=255)
    page = models.ForeignKey(
        "wagtailcore.Page", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    image = models.ForeignKey(
        settings.WAGTAILIMAGES_IMAGE_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    author = models.ForeignKey(
        "people.Author", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    media = models.ForeignKey(
        "wagtailmedia.Media", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    document = models.ForeignKey(
        get_document_model_string(),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    content_hash = models.CharField(max_length=64, blank=True)
    # False until the story is in the search and reference indexes, which are updated
    # in batches; a run cut short leaves False behind and the next run finishes it.
    indexed = models.BooleanField(default=True)
    imported_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["source", "kind", "external_id"], name="imports_record_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.source} {self.kind} {self.external_id}"
