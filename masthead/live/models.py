"""Live coverage: a story with timestamped entries, and running stories over weeks.

A :class:`LivePage` is a story (an ``ArticlePage`` by inheritance), so every list, feed,
sitemap and search that shows stories shows it too. Its entries are rows of their own,
written one at a time in a small admin form, each published (or scheduled) on its own
without a new revision of the page.

An entry is visible when it is published and its time has come *and* its page is live
and public: every reader-facing query goes through :meth:`LiveEntryQuerySet.visible`.
"""

from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.fields import StreamField

from masthead.articles.blocks import StoryBodyBlock
from masthead.articles.models import ArticlePage

from .forms import LiveEntryForm

UPCOMING, LIVE, ENDED = "upcoming", "live", "ended"
STATE_LABELS = {UPCOMING: _("Coming up"), LIVE: _("Live"), ENDED: _("Coverage ended")}


@dataclass
class LiveView:
    state: str
    state_label: str
    pinned: list
    entries: list
    latest: "LiveEntry | None"


class LivePage(ArticlePage):
    coverage_start = models.DateTimeField(
        default=timezone.now,
        help_text=_("When live coverage starts. Before it, the page says 'Coming up'."),
    )
    coverage_end = models.DateTimeField(
        null=True,
        blank=True,
        help_text=_("When live coverage ended (or will end). Leave empty while it goes on."),
    )
    # The state readers were last shown (set by the scheduler pass, masthead.live.signals),
    # so a page whose start or end time passes is refreshed in caches once.
    announced_state = models.CharField(max_length=10, blank=True, editable=False)

    content_panels = [
        *ArticlePage.content_panels[:3],
        MultiFieldPanel(
            [FieldRowPanel([FieldPanel("coverage_start"), FieldPanel("coverage_end")])],
            heading=_("Live coverage"),
            help_text=_(
                "Entries are written one at a time under 'Live entries', not in this form."
            ),
        ),
        *ArticlePage.content_panels[3:],
    ]
    parent_page_types = ["sections.SectionPage"]
    subpage_types: list[str] = []
    template = "pages/live_page.html"

    class Meta:
        verbose_name = _("live page")
        verbose_name_plural = _("live pages")

    def clean(self):
        super().clean()
        if self.coverage_end and self.coverage_start and self.coverage_end < self.coverage_start:
            raise ValidationError({"coverage_end": _("Coverage cannot end before it starts.")})

    def save(self, *args, **kwargs):
        # The state readers get from this save on; the scheduler pass announces changes.
        self.announced_state = self.state_at()
        for name in ("coverage_start", "coverage_end"):
            value = getattr(self, name)
            if value:
                setattr(self, name, value.replace(microsecond=0))
        return super().save(*args, **kwargs)

    def state_at(self, now=None) -> str:
        """Return "upcoming", "live" or "ended" at ``now`` (default: the current time)."""
        now = now or timezone.now()
        if self.coverage_start and now < self.coverage_start:
            return UPCOMING
        if self.coverage_end and now >= self.coverage_end:
            return ENDED
        return LIVE

    @property
    def state(self) -> str:
        return self.state_at()

    @property
    def state_label(self) -> str:
        return STATE_LABELS[self.state]

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["live"] = self.reader_view()
        context["live_poll_seconds"] = int(getattr(settings, "MASTHEAD_LIVE_POLL_SECONDS", 15))
        return context

    def reader_view(self, now=None) -> "LiveView":
        """Return what a reader sees of the coverage at ``now``: state, pinned and other entries."""
        now = now or timezone.now()
        entries = list(LiveEntry.objects.filter(page=self).visible(now).for_display())
        newest = max(entries, key=lambda e: (e.published_at, e.pk), default=None)
        state = self.state_at(now)
        return LiveView(
            state=state,
            state_label=STATE_LABELS[state],
            pinned=[e for e in entries if e.pinned],
            entries=[e for e in entries if not e.pinned],
            latest=newest,
        )

    def visible_entries(self) -> "LiveEntryQuerySet":
        """Return the entries a reader may see, pinned first, then newest first."""
        return LiveEntry.objects.filter(page=self).visible().for_display()


class LiveEntryQuerySet(models.QuerySet):
    def visible(self, now=None) -> "LiveEntryQuerySet":
        """Return entries published, due, and on a live page that everyone may read.

        A page behind a view restriction (its own or an ancestor's) shows no entries in
        any feed or update: the same rule as ``RestrictionAwarePageQuerySet.public()``.
        """
        now = now or timezone.now()
        public_pages = ArticlePage.objects.live().public().values("pk")
        return self.filter(
            status=LiveEntry.Status.PUBLISHED, published_at__lte=now, page__in=public_pages
        )

    def for_display(self) -> "LiveEntryQuerySet":
        return self.select_related("author").order_by("-pinned", "-published_at", "-pk")

    def newest_first(self) -> "LiveEntryQuerySet":
        return self.select_related("author").order_by("-published_at", "-pk")


class LiveEntry(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published (or scheduled, if the time is in the future)")

    page = models.ForeignKey(LivePage, on_delete=models.CASCADE, related_name="entries")
    headline = models.CharField(
        max_length=160, blank=True, help_text=_("Optional. A short line above the entry.")
    )
    # One empty paragraph, so the entry form opens ready to type.
    body = StreamField(
        StoryBodyBlock(),
        default=[("paragraph", "")],
        help_text=_("What happened, in a paragraph or two."),
    )
    author = models.ForeignKey(
        "people.Author",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="live_entries",
        help_text=_("The byline of this entry."),
    )
    published_at = models.DateTimeField(
        default=timezone.now,
        help_text=_("The time shown with the entry. A time in the future schedules it."),
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PUBLISHED)
    pinned = models.BooleanField(
        default=False, help_text=_("Keep this entry at the top, above newer entries.")
    )
    correction = models.TextField(
        blank=True,
        help_text=_("What was wrong in this entry and what is right; shown with it, dated."),
    )
    corrected_at = models.DateTimeField(null=True, blank=True, editable=False)
    # When caches were last told about this entry becoming visible (masthead.live.signals):
    # a scheduled entry is announced by the scheduler pass once its time has come.
    announced_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )

    panels = [
        FieldPanel("page"),
        FieldPanel("headline"),
        FieldPanel("body"),
        FieldRowPanel([FieldPanel("author"), FieldPanel("published_at")]),
        FieldRowPanel([FieldPanel("status"), FieldPanel("pinned")]),
        FieldPanel("correction"),
    ]

    base_form_class = LiveEntryForm
    objects = LiveEntryQuerySet.as_manager()

    class Meta:
        verbose_name = _("live entry")
        verbose_name_plural = _("live entries")
        permissions = [("publish_liveentry", "Can publish and schedule live entries")]
        indexes = [models.Index(fields=["page", "status", "published_at"])]

    def __str__(self) -> str:
        when = timezone.localtime(self.published_at).strftime("%H:%M") if self.published_at else ""
        return f"{when} {self.headline or self.summary}".strip()

    def save(self, *args, **kwargs):
        # Whole seconds: readers see minutes, and HTML's datetime takes at most
        # three decimals.
        if self.published_at:
            self.published_at = self.published_at.replace(microsecond=0)
        if self.correction and not self.corrected_at:
            self.corrected_at = timezone.now().replace(microsecond=0)
        elif not self.correction:
            self.corrected_at = None
        super().save(*args, **kwargs)

    @property
    def anchor(self) -> str:
        return f"entry-{self.pk}"

    @property
    def summary(self) -> str:
        """Return the entry's first words of text, for lists and feed titles."""
        for block in self.body or []:
            if block.block_type in ("paragraph", "heading"):
                value = block.value
                text = " ".join(strip_tags(getattr(value, "source", None) or str(value)).split())
                if text:
                    return text if len(text) <= 80 else text[:79].rsplit(" ", 1)[0] + "…"
        return ""

    def is_visible_at(self, now=None) -> bool:
        now = now or timezone.now()
        return self.status == self.Status.PUBLISHED and self.published_at <= now
