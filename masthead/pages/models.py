"""Pages that are not stories: About, Contact, the policies readers and Google News look for."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.fields import StreamField
from wagtail.models import Page
from wagtail.search import index

from masthead.articles.blocks import StoryBodyBlock
from masthead.core.restrictions import ViewRestrictionsMixin
from masthead.search.fields import CachedSearchField, HeadlineSearchField, body_texts
from masthead.search.text import index_text


class InformationPage(ViewRestrictionsMixin, Page):
    """A page about the newsroom, with the same body blocks as a story."""

    class Kind(models.TextChoices):
        # The schema.org property each kind answers, where there is one (Trust Project).
        ABOUT = "about", _("About us")
        CONTACT = "contact", _("Contact")
        ETHICS = "ethics", _("Ethics policy")
        CORRECTIONS = "corrections", _("Corrections policy")
        OWNERSHIP = "ownership", _("Ownership and funding")
        DIVERSITY = "diversity", _("Diversity policy")
        MASTHEAD = "masthead", _("Masthead (who we are)")
        PRIVACY = "privacy", _("Privacy")
        OTHER = "other", _("Other")

    kind = models.CharField(
        max_length=20,
        choices=Kind.choices,
        default=Kind.OTHER,
        help_text=_(
            "What this page is. Search engines are told where the About, ethics, corrections "
            "and ownership pages are; the footer lists them."
        ),
    )
    standfirst = models.CharField(
        max_length=320, blank=True, help_text=_("One sentence under the title (optional).")
    )
    body = StreamField(StoryBodyBlock(), blank=True)

    content_panels = [
        *Page.content_panels,
        FieldPanel("kind"),
        FieldPanel("standfirst"),
        FieldPanel("body"),
    ]
    # Indexed as stories are (masthead.search.fields): reader search matches folded,
    # stemmed terms, and lists these pages after the stories (search.services).
    search_fields = [
        *Page.search_fields,
        HeadlineSearchField(boost=2),
        CachedSearchField("body"),
        index.SearchField("search_body_terms"),
    ]
    parent_page_types = ["sections.HomePage", "sections.SectionPage"]
    subpage_types = []
    template = "pages/information_page.html"

    class Meta:
        verbose_name = _("information page")

    def __str__(self) -> str:
        return self.title

    def search_body_terms(self) -> str:
        """Return folded, stemmed terms of the body, for reader search."""
        return index_text(*body_texts(self))


# schema.org NewsMediaOrganization properties (the Trust Project's indicators) that a
# page of each kind answers; the ethics page is also the publishing principles.
TRUST_PROPERTIES = {
    InformationPage.Kind.ETHICS: ("publishingPrinciples", "ethicsPolicy"),
    InformationPage.Kind.CORRECTIONS: ("correctionsPolicy",),
    InformationPage.Kind.OWNERSHIP: ("ownershipFundingInfo",),
    InformationPage.Kind.DIVERSITY: ("diversityPolicy",),
    InformationPage.Kind.MASTHEAD: ("masthead",),
}


def information_pages(site) -> list[dict]:
    """Return the live public information pages of ``site``: title, path and kind, tree order."""
    pages = (
        InformationPage.objects.live()
        .public()
        .descendant_of(site.root_page)
        .order_by("path")
        .only("id", "title", "url_path", "path", "depth", "kind")
    )
    result = []
    for page in pages:
        parts = page.get_url_parts()
        if parts is not None:
            result.append({"title": page.title, "path": parts[2], "kind": page.kind})
    return result
