"""Blocks an editor arranges the home page (HomePage.front) and a section's front (SectionPage.front) with."""

from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.snippets.blocks import SnippetChooserBlock

MAX_ROW = 12


def _count(default: int) -> blocks.IntegerBlock:
    return blocks.IntegerBlock(
        default=default, min_value=1, max_value=MAX_ROW, help_text=_("How many stories.")
    )


class LeadStoryBlock(blocks.StructBlock):
    story = blocks.PageChooserBlock(
        page_type="articles.ArticlePage",
        required=False,
        help_text=_("The story at the top of the front. Empty: the newest story."),
    )

    class Meta:
        icon = "pick"
        label = _("Lead story")


class StoryRowBlock(blocks.StructBlock):
    heading = blocks.CharBlock(
        max_length=60, required=False, help_text=_("Empty: the section's or topic's name.")
    )
    section = blocks.PageChooserBlock(page_type="sections.SectionPage", required=False)
    topic = SnippetChooserBlock("sections.Topic", required=False)
    count = _count(4)

    class Meta:
        icon = "list-ul"
        label = _("Row of stories from a section or topic")
        help_text = _("Choose a section or a topic; with neither, the row shows the newest.")


class LatestBlock(blocks.StructBlock):
    heading = blocks.CharBlock(max_length=60, required=False)
    count = _count(6)

    class Meta:
        icon = "time"
        label = _("Latest stories")


class DiscoveryPlaceBlock(blocks.StructBlock):
    heading = blocks.CharBlock(max_length=60, required=False)

    class Meta:
        icon = "view"


class FrontPageBlock(blocks.StreamBlock):
    """The front, top to bottom. No story is shown twice; empty slots take the newest."""

    lead = LeadStoryBlock()
    row = StoryRowBlock()
    latest = LatestBlock()
    editors_choice = DiscoveryPlaceBlock(label=_("Editor's choice"), icon="pick")
    popular = DiscoveryPlaceBlock(label=_("Popular"), icon="view")


class SectionFrontBlock(blocks.StreamBlock):
    """A section's front, above its list of stories: the home page's story blocks, filled
    from this section's stories only. Editor's choice and Popular stay in the side
    column, where every section shows them."""

    lead = LeadStoryBlock()
    row = StoryRowBlock()
    latest = LatestBlock()
