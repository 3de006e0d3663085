"""The parts of an issue: writing by an editor, and teaser blocks filled from the site."""

from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.snippets.blocks import SnippetChooserBlock


class TextBlock(blocks.StructBlock):
    heading = blocks.CharBlock(required=False, max_length=100)
    text = blocks.RichTextBlock(features=["bold", "italic", "link", "ol", "ul"])

    class Meta:
        icon = "doc-full"
        label = _("Written text")


class ChosenStoriesBlock(blocks.StructBlock):
    heading = blocks.CharBlock(required=False, max_length=100, default=_("Top stories"))
    stories = blocks.ListBlock(
        blocks.PageChooserBlock(page_type="articles.ArticlePage"), min_num=1, max_num=12
    )

    class Meta:
        icon = "list-ul"
        label = _("Chosen stories")


class EditorsChoiceBlock(blocks.StructBlock):
    heading = blocks.CharBlock(required=False, max_length=100, default=_("Editor's choice"))
    count = blocks.IntegerBlock(default=3, min_value=1, max_value=10)

    class Meta:
        icon = "pick"
        label = _("Editor's choice")


class LatestStoriesBlock(blocks.StructBlock):
    heading = blocks.CharBlock(required=False, max_length=100, default=_("Latest"))
    section = blocks.PageChooserBlock(
        page_type="sections.SectionPage", required=False, help_text=_("Empty: every section.")
    )
    topic = SnippetChooserBlock("sections.Topic", required=False)
    count = blocks.IntegerBlock(default=5, min_value=1, max_value=20)

    class Meta:
        icon = "date"
        label = _("Newest stories of a section or topic")


class PopularBlock(blocks.StructBlock):
    heading = blocks.CharBlock(required=False, max_length=100, default=_("Most read"))
    count = blocks.IntegerBlock(default=3, min_value=1, max_value=10)

    class Meta:
        icon = "pick"
        label = _("Popular")


class IssueBodyBlock(blocks.StreamBlock):
    text = TextBlock()
    stories = ChosenStoriesBlock()
    editors_choice = EditorsChoiceBlock()
    latest = LatestStoriesBlock()
    popular = PopularBlock()
