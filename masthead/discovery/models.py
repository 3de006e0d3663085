"""Discovery data: curated picks, daily view counts and precomputed related stories.

The daily salt that makes reader digests unlinkable lives in its own table
(``DailySalt``), never in ``ArticleView``: the counts alone say nothing about readers,
and deleting yesterday's salt makes yesterday's digests irreversible.
"""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Case, F, FloatField, Q, Sum, Value, When
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel
from wagtail.models import Orderable

# --- Editor's choice -------------------------------------------------------------------


class PickList(ClusterableModel):
    section = models.OneToOneField(
        "sections.SectionPage",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="pick_list",
        help_text=_(
            "Leave empty for the site-wide list shown on the home page and under every "
            "story. A section's list is shown first on that section and its stories."
        ),
    )

    panels = [
        FieldPanel("section"),
        InlinePanel("picks", heading=_("Picks, in order"), label=_("Pick")),
    ]

    class Meta:
        verbose_name = _("editor's choice list")
        verbose_name_plural = _("editor's choice lists")

    def __str__(self) -> str:
        if self.section_id:
            return str(_("Editor's choice: %(section)s") % {"section": self.section.title})
        return str(_("Editor's choice: whole site"))

    def clean(self):
        super().clean()
        if self.section_id is None:
            others = PickList.objects.filter(section__isnull=True).exclude(pk=self.pk)
            if others.exists():
                raise ValidationError(
                    {"section": _("There is already a site-wide list. Edit that one instead.")}
                )


class PickQuerySet(models.QuerySet):
    def active(self, at: dt.datetime | None = None) -> "PickQuerySet":
        """Return picks whose start and end times include ``at`` (default: now)."""
        at = at or timezone.now()
        return self.filter(
            Q(starts_at__isnull=True) | Q(starts_at__lte=at),
            Q(ends_at__isnull=True) | Q(ends_at__gt=at),
        )


class Pick(Orderable):
    pick_list = ParentalKey(PickList, on_delete=models.CASCADE, related_name="picks")
    article = models.ForeignKey(
        "articles.ArticlePage", on_delete=models.CASCADE, related_name="picks"
    )
    starts_at = models.DateTimeField(
        null=True, blank=True, help_text=_("Leave empty to show the pick from now.")
    )
    ends_at = models.DateTimeField(
        null=True, blank=True, help_text=_("Leave empty to show the pick until removed.")
    )

    panels = [
        FieldPanel("article"),
        FieldRowPanel([FieldPanel("starts_at"), FieldPanel("ends_at")]),
    ]

    objects = PickQuerySet.as_manager()

    class Meta(Orderable.Meta):
        verbose_name = _("pick")

    def __str__(self) -> str:
        return str(self.article)

    def clean(self):
        super().clean()
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            raise ValidationError({"ends_at": _("The end time must be after the start time.")})


# --- Most read -------------------------------------------------------------------------


class ArticleViewQuerySet(models.QuerySet):
    def most_read(self, days: int = 7, *, limit: int = 10, now=None) -> list[tuple[int, float]]:
        """Return ``(article_id, views)`` for the last ``days`` days, most read first.

        Counts are kept per day, so the oldest day of the window only partly overlaps
        it; that day's views count in proportion to the overlap (for ``days=1`` at
        06:00, three quarters of yesterday plus all of today). Ties go to the newer story.
        """
        now = timezone.localtime(now or timezone.now())
        start = now - dt.timedelta(days=days)
        day_start = start.replace(hour=0, minute=0, second=0, microsecond=0)
        overlap = 1 - (start - day_start).total_seconds() / 86400
        weighted = Case(
            When(day=start.date(), then=F("views") * Value(overlap)),
            default=F("views") * Value(1.0),
            output_field=FloatField(),
        )
        rows = (
            self.filter(day__gte=start.date(), day__lte=now.date())
            .values("article_id")
            .annotate(total=Sum(weighted))
            .filter(total__gt=0)
            .order_by("-total", "-article__first_published_at", "-article_id")[:limit]
        )
        return [(row["article_id"], row["total"]) for row in rows]


class ArticleView(models.Model):
    article = models.ForeignKey(
        "articles.ArticlePage", on_delete=models.CASCADE, related_name="daily_views"
    )
    day = models.DateField()
    views = models.PositiveIntegerField(default=0)

    objects = ArticleViewQuerySet.as_manager()

    class Meta:
        verbose_name = _("daily views")
        verbose_name_plural = _("daily views")
        constraints = [
            models.UniqueConstraint(fields=["article", "day"], name="discovery_one_row_per_day")
        ]
        indexes = [models.Index(fields=["day"])]

    def __str__(self) -> str:
        return f"{self.article_id} {self.day}: {self.views}"


class DailySalt(models.Model):
    """The secret mixed into today's reader digests; rows for past days are deleted."""

    day = models.DateField(unique=True)
    salt = models.CharField(max_length=64)

    def __str__(self) -> str:
        return str(self.day)


class ReaderSeen(models.Model):
    """One row per (reader digest, story, day): a second view the same day is not counted."""

    day = models.DateField(db_index=True)
    digest = models.CharField(max_length=64, unique=True)

    def __str__(self) -> str:
        return self.digest[:12]


# --- Related articles ------------------------------------------------------------------


class ArticleIndexEntry(models.Model):
    """The terms of one indexed (published, public) story, for document frequencies."""

    article = models.OneToOneField(
        "articles.ArticlePage",
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="discovery_index_entry",
    )
    terms = models.JSONField(default=list)
    published_at = models.DateTimeField(null=True)
    indexed_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return str(self.article_id)


class TermStatistic(models.Model):
    term = models.CharField(max_length=64, primary_key=True)
    documents = models.IntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.term}: {self.documents}"


class ArticleTerm(models.Model):
    """A posting: one of the highest-weighted terms of a story, with its weight."""

    article = models.ForeignKey(
        "articles.ArticlePage", on_delete=models.CASCADE, related_name="discovery_terms"
    )
    term = models.CharField(max_length=64)
    weight = models.FloatField()

    class Meta:
        indexes = [models.Index(fields=["term"])]

    def __str__(self) -> str:
        return f"{self.article_id} {self.term}"


class ArticleRelatedArticle(models.Model):
    """A precomputed related story, best first by score."""

    article = models.ForeignKey(
        "articles.ArticlePage", on_delete=models.CASCADE, related_name="computed_related"
    )
    related = models.ForeignKey("articles.ArticlePage", on_delete=models.CASCADE, related_name="+")
    score = models.FloatField()

    class Meta:
        ordering = ["-score"]
        constraints = [
            models.UniqueConstraint(fields=["article", "related"], name="discovery_related_once")
        ]

    def __str__(self) -> str:
        return f"{self.article_id} -> {self.related_id} ({self.score:.3f})"


class RelatedPin(Orderable):
    page = ParentalKey(
        "articles.ArticlePage", on_delete=models.CASCADE, related_name="related_pins"
    )
    related = models.ForeignKey(
        "articles.ArticlePage",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("story"),
        help_text=_("Shown first under this story, in this order, while it is published."),
    )

    panels = [FieldPanel("related")]

    class Meta(Orderable.Meta):
        verbose_name = _("pinned related story")

    def __str__(self) -> str:
        return str(self.related)


class RelatedExclusion(Orderable):
    page = ParentalKey(
        "articles.ArticlePage", on_delete=models.CASCADE, related_name="related_exclusions"
    )
    related = models.ForeignKey(
        "articles.ArticlePage",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("story"),
        help_text=_("Never shown as related to this story."),
    )

    panels = [FieldPanel("related")]

    class Meta(Orderable.Meta):
        verbose_name = _("excluded related story")

    def __str__(self) -> str:
        return str(self.related)
