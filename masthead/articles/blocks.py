"""Blocks an editor can put in a story's body."""

from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.embeds.blocks import EmbedBlock
from wagtail.images.blocks import ImageChooserBlock

from masthead.core.blocks import (
    AudioBlock,
    DocumentLinkBlock,
    FactBoxBlock,
    GalleryBlock,
    PictureValue,
    TableFigureBlock,
    VideoBlock,
    library_caption_block,
)

RICH_TEXT_FEATURES = ["bold", "italic", "link", "ol", "ul"]


class QuoteBlock(blocks.StructBlock):
    quote = blocks.TextBlock(
        help_text=_("The words as spoken or written, without quotation marks.")
    )
    attribution = blocks.CharBlock(
        required=False, max_length=120, help_text=_("Who said it, e.g. 'Ana Petrosyan'.")
    )
    role = blocks.CharBlock(
        required=False,
        max_length=160,
        help_text=_("Their job title, e.g. 'Deputy Foreign Minister'."),
    )

    class Meta:
        icon = "openquote"
        template = "blocks/quote_block.html"


class FigureBlock(blocks.StructBlock):
    image = ImageChooserBlock()
    caption = blocks.CharBlock(
        required=False,
        max_length=400,
        help_text=_("Leave empty to use the image's own caption."),
    )
    library_caption = library_caption_block()
    credit = blocks.CharBlock(
        required=False,
        max_length=200,
        help_text=_("Leave empty to use the image's own credit. A credit is always shown."),
    )

    class Meta:
        icon = "image"
        template = "blocks/figure_block.html"
        value_class = PictureValue


class EmbedFigureBlock(blocks.StructBlock):
    embed = EmbedBlock(help_text=_("A link to a video, post or map from a supported provider."))
    caption = blocks.CharBlock(required=False, max_length=400)

    class Meta:
        icon = "media"
        template = "blocks/embed_block.html"


class StoryBodyBlock(blocks.StreamBlock):
    paragraph = blocks.RichTextBlock(
        features=RICH_TEXT_FEATURES, template="blocks/paragraph_block.html"
    )
    heading = blocks.CharBlock(max_length=160, icon="title", template="blocks/heading_block.html")
    quote = QuoteBlock()
    image = FigureBlock()
    embed = EmbedFigureBlock()
    table = TableFigureBlock()
    gallery = GalleryBlock()
    audio = AudioBlock()
    video = VideoBlock()
    document = DocumentLinkBlock()
    fact_box = FactBoxBlock()
