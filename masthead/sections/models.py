"""Fronts and listings: the home page, section pages and topics."""

from django.db import models
from django.urls import reverse
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.fields import StreamField
from wagtail.models import Page, PageManager
from wagtail.search import index

from masthead.core.restrictions import RestrictionAwarePageQuerySet, ViewRestrictionsMixin

from .blocks import FrontPageBlock, SectionFrontBlock

LISTING_PAGE_SIZE = 20


class HomePage(ViewRestrictionsMixin, Page):
    intro = models.CharField(
        max_length=250, blank=True, help_text=_("A line under the masthead on the home page.")
    )
    lead_story_count = models.PositiveSmallIntegerField(
        default=6,
        help_text=_("How many of the latest stories the front shows as its top stories."),
    )

    front = StreamField(
        FrontPageBlock(),
        blank=True,
        help_text=_(
            "Arrange the front from the top: lead story, rows from a section or topic, "
            "Editor's choice, Popular, latest stories. Empty: the newest stories, as "
            "many as above, then the discovery blocks."
        ),
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("intro"),
        FieldPanel("lead_story_count"),
        FieldPanel("front"),
    ]
    parent_page_types = ["wagtailcore.Page"]
    subpage_types = ["sections.SectionPage", "pages.InformationPage"]
    max_count = 1
    template = "pages/home_page.html"

    class Meta:
        verbose_name = _("home page")

    def route(self, request, path_components):
        # Find a section and its specific fields in the cached list (sections.routing).
        if path_components:
            from .routing import sections_by_slug

            section = sections_by_slug(self).get(path_components[0])
            if section is not None:
                section._cached_parent_obj = self
                return section.route(request, path_components[1:])
        return super().route(request, path_components)

    def get_context(self, request, *args, **kwargs):
        from masthead.articles.models import ArticlePage

        context = super().get_context(request, *args, **kwargs)
        from .listing import attach_sections

        if self.front:
            from .front import build_front

            context["front_rows"], context["top_stories"] = build_front(self, self.front)
        else:
            context["top_stories"] = attach_sections(
                ArticlePage.objects.cards()[: self.lead_story_count]
            )
        context["sections"] = SectionPage.objects.child_of(self).live().public().order_by("path")
        return context


SectionPageManager = PageManager.from_queryset(RestrictionAwarePageQuerySet)


class SectionPage(ViewRestrictionsMixin, Page):
    description = models.CharField(
        max_length=300, blank=True, help_text=_("What this section covers, in one sentence.")
    )
    front = StreamField(
        SectionFrontBlock(),
        blank=True,
        help_text=_(
            "Arrange the top of the section as the home page's front: lead story, rows from a "
            "topic, latest stories, all from this section. The list of stories follows "
            "without them. Empty: the list alone, newest first."
        ),
    )

    content_panels = [*Page.content_panels, FieldPanel("description"), FieldPanel("front")]
    parent_page_types = ["sections.HomePage"]
    subpage_types = ["articles.ArticlePage", "live.LivePage", "pages.InformationPage"]
    template = "pages/section_page.html"

    objects = SectionPageManager()

    class Meta:
        verbose_name = _("section")

    def route(self, request, path_components):
        # Find a story, its specific fields and its lead picture in one query.
        if len(path_components) == 1:
            from masthead.articles.models import ArticlePage

            story = (
                ArticlePage.objects.child_of(self)
                .filter(slug=path_components[0])
                .select_related("lead_image")
                .first()
            )
            if story is not None:
                if story.specific_class is not ArticlePage:
                    # A live page (a story by inheritance) has its own fields and template.
                    story = story.specific
                story._cached_parent_obj = self
                story.__dict__["section"] = self
                return story.route(request, [])
        return super().route(request, path_components)

    def get_context(self, request, *args, **kwargs):
        from masthead.articles.models import ArticlePage

        from .listing import paginate

        context = super().get_context(request, *args, **kwargs)
        stories = ArticlePage.objects.cards().descendant_of(self)
        on_front = []
        if self.front:
            from .front import build_front

            rows, on_front = build_front(self, self.front)
            # The list below the front never repeats it, on any of its pages.
            stories = stories.exclude(pk__in=[story.pk for story in on_front])
        page = paginate(stories, request.GET.get("page"), LISTING_PAGE_SIZE)
        for story in page.object_list:
            story.__dict__["section"] = self
        context["stories"] = page
        if on_front and page.number == 1:
            context["front_rows"] = rows
        context["shown_stories"] = [*on_front, *page.object_list]
        return context


class Topic(index.Indexed, models.Model):
    class Kind(models.TextChoices):
        PERSON = "person", _("Person")
        PLACE = "place", _("Place")
        ORGANISATION = "organisation", _("Organisation")
        THEME = "theme", _("Theme")

    name = models.CharField(max_length=120, unique=True)
    slug = models.SlugField(
        max_length=140, unique=True, help_text=_("Used in the topic page address.")
    )
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.THEME)
    description = models.TextField(blank=True, help_text=_("Shown at the top of the topic page."))

    panels = [FieldPanel("name"), FieldPanel("slug"), FieldPanel("kind"), FieldPanel("description")]
    search_fields = [index.SearchField("name"), index.AutocompleteField("name")]

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = slugify(self.name)[:140] or "topic"
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("topic_page", args=[self.slug])
