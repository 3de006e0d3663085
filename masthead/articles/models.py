"""Stories: the article page and its bylines, topics and corrections."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Prefetch
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import (
    FieldPanel,
    FieldRowPanel,
    InlinePanel,
    MultiFieldPanel,
    TitleFieldPanel,
)
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.fields import StreamField
from wagtail.models import Orderable, Page, PageManager
from wagtail.search import index

from masthead.accounts.roles import CURATE_PICKS
from masthead.core import licences
from masthead.core.restrictions import RestrictionAwarePageQuerySet, ViewRestrictionsMixin
from masthead.editorial.panels import EditorialFindingsPanel
from masthead.search.fields import CachedSearchField, HeadlineSearchField, body_terms

from .blocks import StoryBodyBlock
from .forms import ArticlePageForm, RestrictedInlinePanel


class ArticlePageQuerySet(RestrictionAwarePageQuerySet):
    def cards(self) -> "ArticlePageQuerySet":
        """Return published public stories, newest first, with what a story card shows.

        A card (components/article_card.html) shows no byline, so bylines are not
        fetched: two queries for any number of cards (stories, picture renditions).
        """
        return (
            self.live()
            .public()
            .defer_streamfields()
            .select_related("lead_image")
            .prefetch_related("lead_image__renditions")
            .order_by("-first_published_at", "-pk")
        )

    def teasers(self) -> "ArticlePageQuerySet":
        """Return published public stories, newest first, with bylines prefetched too."""
        return self.cards().prefetch_related(
            Prefetch(
                "article_authors",
                queryset=ArticleAuthor.objects.select_related("author").order_by("sort_order"),
            )
        )


ArticlePageManager = PageManager.from_queryset(ArticlePageQuerySet)


class ArticlePage(ViewRestrictionsMixin, Page):
    kicker = models.CharField(
        max_length=40,
        blank=True,
        help_text=_("An optional label above the headline, e.g. 'Exclusive' or 'Live'."),
    )
    standfirst = models.TextField(
        max_length=320,
        help_text=_(
            "One sentence under the headline that says why the story matters or what happens "
            "next. Not a copy of the first paragraph."
        ),
    )
    body = StreamField(StoryBodyBlock(), blank=True)
    lead_image = models.ForeignKey(
        settings.WAGTAILIMAGES_IMAGE_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    lead_image_caption = models.CharField(
        max_length=400,
        blank=True,
        help_text=_("Who, where, when. Leave empty to use the image's own caption."),
    )
    lead_image_credit = models.CharField(
        max_length=200,
        blank=True,
        help_text=_("Leave empty to use the image's own credit. A credit is always shown."),
    )
    source_name = models.CharField(
        max_length=120,
        blank=True,
        help_text=_("The outlet this story is based on. Leave empty if it is our own reporting."),
    )
    source_url = models.URLField(blank=True, help_text=_("Optional link to the source."))
    editors_choice = models.BooleanField(
        default=False,
        verbose_name=_("editor's choice"),
        help_text=_("Show this story among the editor's picks."),
    )
    updated_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text=_(
            "Set when the story changed in substance after publication; shown as 'Updated'."
        ),
    )
    licence = models.CharField(
        max_length=40,
        blank=True,
        choices=licences.STORY_CHOICES,
        help_text=_(
            "Whether other outlets may republish this story, and how. Leave on the site's "
            "default (Settings > Story licence) unless this story differs."
        ),
    )

    base_form_class = ArticlePageForm

    content_panels = [
        EditorialFindingsPanel(),
        FieldPanel("kicker"),
        # TitleFieldPanel fills in the slug from the headline, as on every Wagtail page.
        TitleFieldPanel("title", heading=_("Headline")),
        FieldPanel("standfirst"),
        InlinePanel("article_authors", heading=_("Byline"), label=_("Author"), min_num=0),
        MultiFieldPanel(
            [
                FieldPanel("lead_image"),
                FieldPanel("lead_image_caption"),
                FieldPanel("lead_image_credit"),
            ],
            heading=_("Lead image"),
        ),
        FieldPanel("body"),
        FieldRowPanel([FieldPanel("source_name"), FieldPanel("source_url")], heading=_("Source")),
        FieldPanel("licence"),
        InlinePanel("article_topics", heading=_("Topics"), label=_("Topic")),
        FieldPanel("editors_choice", permission=CURATE_PICKS),
        RestrictedInlinePanel(
            "related_pins",
            heading=_("Pinned related stories"),
            label=_("Pinned story"),
            help_text=_("Shown first under 'Related articles', in this order."),
        ),
        RestrictedInlinePanel(
            "related_exclusions",
            heading=_("Stories never shown as related"),
            label=_("Excluded story"),
        ),
        FieldPanel("updated_at"),
        InlinePanel("corrections", heading=_("Corrections"), label=_("Correction")),
    ]
    search_fields = [
        *Page.search_fields,
        # A second "title" field adds the standfirst and folded, stemmed terms to the
        # headline column of the index: see masthead.search.fields for why.
        HeadlineSearchField(boost=2),
        CachedSearchField("body"),
        index.SearchField("search_body_terms"),
        index.FilterField("first_published_at"),
        index.RelatedFields(
            "article_authors", [index.RelatedFields("author", [index.SearchField("name")])]
        ),
        index.RelatedFields(
            "article_topics", [index.RelatedFields("topic", [index.SearchField("name")])]
        ),
    ]
    parent_page_types = ["sections.SectionPage"]
    subpage_types: list[str] = []
    template = "pages/article_page.html"

    objects = ArticlePageManager()

    class Meta:
        verbose_name = _("story")
        verbose_name_plural = _("stories")

    def clean(self):
        super().clean()
        if self.source_url and not self.source_name:
            raise ValidationError(
                {"source_name": _("Name the outlet that the source link points to.")}
            )
        if (
            self.updated_at
            and self.first_published_at
            and self.updated_at < self.first_published_at
        ):
            raise ValidationError(
                {"updated_at": _("The update time cannot be before first publication.")}
            )

    @property
    def published_at(self):
        return self.first_published_at

    @cached_property
    def authors(self) -> list:
        return [item.author for item in _with_related(self.article_authors, "author")]

    @property
    def byline(self) -> str:
        names = [author.name for author in self.authors]
        if len(names) <= 1:
            return "".join(names)
        return f"{', '.join(names[:-1])} {_('and')} {names[-1]}"

    @cached_property
    def topics(self) -> list:
        return [item.topic for item in _with_related(self.article_topics, "topic")]

    @cached_property
    def section(self):
        from masthead.sections.models import SectionPage

        return SectionPage.objects.filter(path=self.path[: -self.steplen]).first()

    @property
    def caption(self) -> str:
        if self.lead_image_caption:
            return self.lead_image_caption
        return self.lead_image.caption if self.lead_image else ""

    @property
    def credit(self) -> str:
        if self.lead_image_credit:
            return self.lead_image_credit
        return self.lead_image.credit if self.lead_image else ""

    @property
    def source_label(self) -> str:
        """Return the outlet named in the source line: the story's source or the site."""
        if self.source_name:
            return self.source_name
        from masthead.core.models import default_source_name

        # The site id comes from Wagtail's cached root paths, so no query here.
        parts = self.get_url_parts()
        configured = default_source_name(parts[0]) if parts else ""
        return configured or settings.WAGTAIL_SITE_NAME

    @cached_property
    def correction_list(self) -> list:
        """Return the story's corrections, oldest first, fetched once per instance."""
        return list(self.corrections.all())

    def search_body_terms(self) -> str:
        """Return folded, stemmed terms of the body, bylines and topics for the index."""
        return body_terms(self)

    @property
    def licence_terms(self) -> licences.Licence:
        """Return the licence the story carries: its own, else the site's default."""
        return licences.get(self.licence, default_licence_code())

    @property
    def modified_at(self):
        """Return when the story last changed in substance: update or correction, else first publication."""
        times = [t for t in (self.first_published_at, self.updated_at) if t]
        times += [c.published_at for c in self.correction_list]
        return max(times) if times else None


@register_setting(icon="doc-full")
class LicenceSettings(BaseSiteSetting):
    """The licence a story carries unless it names its own."""

    default_licence = models.CharField(
        max_length=40,
        choices=licences.CHOICES,
        default=licences.DEFAULT,
        help_text=_(
            "Stories that do not name a licence carry this one. A Creative Commons licence "
            "lets partner outlets republish them with the Republish button."
        ),
    )

    panels = [FieldPanel("default_licence")]

    class Meta:
        verbose_name = _("story licence")

    def __str__(self) -> str:
        return str(self.site)


def default_licence_code() -> str:
    """Return the default site's story licence code, cached until the setting is saved."""
    from masthead.core import changes

    def compute() -> str:
        return (
            LicenceSettings.objects.order_by("-site__is_default_site", "pk")
            .values_list("default_licence", flat=True)
            .first()
            or licences.DEFAULT
        )

    # On the SITE counter: a publish (STORIES) does not change it, so the first render
    # after a publish spends no query on it.
    return changes.cached("articles:default-licence", changes.SITE, compute)


def _with_related(manager, field: str):
    """Return the child rows of ``manager`` with ``field`` joined in one query.

    Rows already prefetched, or held in memory for a preview, are used as they are.
    """
    rows = manager.all()
    # An empty prefetched list is still prefetched: querying again would clone the
    # prefetch queryset, which covers every page of the batch, not just this one.
    if hasattr(rows, "select_related") and getattr(rows, "_result_cache", None) is None:
        try:
            return rows.select_related(field)
        except (AttributeError, TypeError):
            return rows
    return rows


class ArticleAuthor(Orderable):
    page = ParentalKey(ArticlePage, on_delete=models.CASCADE, related_name="article_authors")
    author = models.ForeignKey(
        "people.Author", on_delete=models.CASCADE, related_name="article_links"
    )

    panels = [FieldPanel("author")]

    class Meta(Orderable.Meta):
        unique_together = [("page", "author")]

    def __str__(self) -> str:
        return str(self.author)


class ArticleTopic(Orderable):
    page = ParentalKey(ArticlePage, on_delete=models.CASCADE, related_name="article_topics")
    topic = models.ForeignKey(
        "sections.Topic", on_delete=models.CASCADE, related_name="article_links"
    )

    panels = [FieldPanel("topic")]

    class Meta(Orderable.Meta):
        unique_together = [("page", "topic")]

    def __str__(self) -> str:
        return str(self.topic)


class Correction(Orderable):
    page = ParentalKey(ArticlePage, on_delete=models.CASCADE, related_name="corrections")
    published_at = models.DateTimeField(
        default=timezone.now, help_text=_("When the correction was made; shown with it.")
    )
    text = models.TextField(
        help_text=_(
            "What was wrong and what is right, e.g. 'An earlier version misspelt the minister's name.'"
        )
    )

    panels = [FieldPanel("published_at"), FieldPanel("text")]

    class Meta(Orderable.Meta):
        ordering = ["published_at"]

    def __str__(self) -> str:
        return self.text[:60]
