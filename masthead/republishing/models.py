"""Where our stories were republished, as the counting pixel in each copy reports it."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Republication(models.Model):
    """One story on one other site: first and last seen, and how often it was read there.

    The site is the host of the page that showed the pixel (its ``Referer``); browsers
    that send no referrer are counted under an empty host.
    """

    article = models.ForeignKey(
        "articles.ArticlePage", on_delete=models.CASCADE, related_name="republications"
    )
    host = models.CharField(max_length=255, blank=True)
    last_url = models.URLField(max_length=1000, blank=True)
    first_seen = models.DateTimeField(default=timezone.now)
    last_seen = models.DateTimeField(default=timezone.now)
    views = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["article", "host"], name="one_row_per_story_and_site")
        ]
        ordering = ["-views"]
        verbose_name = _("republication")

    def __str__(self) -> str:
        return f"{self.article_id} on {self.host or '?'}"
