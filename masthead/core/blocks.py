"""Story blocks more than one page type needs: tables, galleries, media, documents, facts.

Each is made of Wagtail's own blocks (TableBlock from ``wagtail.contrib.table_block``,
wagtailmedia's choosers, Wagtail documents), so the editor's widgets are the framework's.
``stream_texts`` is the one reader of a stored body's text: search snippets, the
vocabulary and the import's fidelity check all read a body through it.
"""

import html
import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.blocks.struct_block import StructBlockValidationError
from wagtail.contrib.table_block.blocks import TableBlock
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.embeds.blocks import EmbedBlock
from wagtail.images.blocks import ImageChooserBlock
from wagtailmedia.blocks import AudioChooserBlock, VideoChooserBlock

FACT_BOX_FEATURES = ["bold", "italic", "link", "ol", "ul"]
# Handsontable options of the table editor: merged cells on, a header row by default.
TABLE_OPTIONS = {
    "startRows": 3,
    "startCols": 3,
    "colHeaders": False,
    "rowHeaders": False,
    "mergeCells": True,
    "contextMenu": [
        "row_above",
        "row_below",
        "---------",
        "col_left",
        "col_right",
        "---------",
        "remove_row",
        "remove_col",
        "---------",
        "undo",
        "redo",
        "---------",
        "mergeCells",
    ],
}


class TableFigureBlock(blocks.StructBlock):
    """A data table: header row and column, caption and a source line."""

    table = TableBlock(
        table_options=TABLE_OPTIONS,
        help_text=_(
            "Tick 'Row header' for a header row and 'Column header' for a first column of "
            "labels; the caption says what the table shows."
        ),
    )
    source = blocks.CharBlock(
        required=False,
        max_length=200,
        help_text=_("Where the figures come from, e.g. 'Electoral commission, 3 May'."),
    )

    class Meta:
        icon = "table"
        label = _("Table")
        template = "blocks/table_figure_block.html"


class PictureValue(blocks.StructValue):
    """A picture block's value, with the caption a reader is shown."""

    @property
    def shown_caption(self) -> str:
        """Return the block's caption, else the library image's unless the block says not to.

        Blocks stored before ``library_caption`` existed have no such key; the
        StructBlock fills in its default (True), so they show what they showed before.
        """
        if self.get("caption"):
            return self["caption"]
        image = self.get("image")
        if image is None or not self.get("library_caption", True):
            return ""
        return getattr(image, "caption", "") or ""


def library_caption_block():
    """Return the child that lets a picture show no caption rather than the library's."""
    return blocks.BooleanBlock(
        required=False,
        default=True,
        label=_("Use the image's own caption when the caption is empty"),
        help_text=_(
            "Untick to show the picture without a caption when the caption above is "
            "empty, as it was first published. The credit is still shown."
        ),
    )


class GalleryImageBlock(blocks.StructBlock):
    image = ImageChooserBlock()
    caption = blocks.CharBlock(
        required=False, max_length=400, help_text=_("Leave empty to use the image's own caption.")
    )
    library_caption = library_caption_block()
    credit = blocks.CharBlock(
        required=False,
        max_length=200,
        help_text=_("Leave empty to use the image's own credit. A credit is always shown."),
    )

    class Meta:
        value_class = PictureValue


class GalleryBlock(blocks.StructBlock):
    """Pictures in order, each with caption and credit, under one lead caption."""

    caption = blocks.CharBlock(
        required=False, max_length=400, help_text=_("What the pictures show, as a whole.")
    )
    images = blocks.ListBlock(GalleryImageBlock(), min_num=1)

    class Meta:
        icon = "image"
        label = _("Gallery")
        template = "blocks/gallery_block.html"


class _OneOfFileOrEmbed:
    """A media block needs an uploaded file or an embed; either is enough."""

    def clean(self, value):
        value = super().clean(value)
        if not value.get("media") and not value.get("embed"):
            raise StructBlockValidationError(
                block_errors={
                    "media": ValidationError(_("Choose a file or give a link to an embed."))
                }
            )
        return value


def _embed():
    return EmbedBlock(
        required=False, help_text=_("Or a link to the recording on a supported provider.")
    )


def _transcript():
    return blocks.TextBlock(
        required=False,
        help_text=_("What is said, for readers who cannot listen, and for search."),
    )


class AudioBlock(_OneOfFileOrEmbed, blocks.StructBlock):
    """An uploaded audio file (wagtailmedia) or an embed, with caption and transcript."""

    media = AudioChooserBlock(required=False, help_text=_("An uploaded audio file."))
    embed = _embed()
    title = blocks.CharBlock(required=False, max_length=255)
    caption = blocks.CharBlock(required=False, max_length=400)
    transcript = _transcript()

    class Meta:
        icon = "wagtailmedia-audio"
        label = _("Audio")
        template = "blocks/audio_block.html"


class VideoBlock(_OneOfFileOrEmbed, blocks.StructBlock):
    """An uploaded video file (wagtailmedia) or an embed, with caption and transcript."""

    media = VideoChooserBlock(required=False, help_text=_("An uploaded video file."))
    embed = _embed()
    title = blocks.CharBlock(required=False, max_length=255)
    caption = blocks.CharBlock(required=False, max_length=400)
    transcript = _transcript()

    class Meta:
        icon = "wagtailmedia-video"
        label = _("Video")
        template = "blocks/video_block.html"


class DocumentLinkBlock(blocks.StructBlock):
    """A link to a document (a report, a ruling, a budget) kept in Wagtail documents."""

    document = DocumentChooserBlock()
    title = blocks.CharBlock(
        required=False, max_length=255, help_text=_("Leave empty to use the document's title.")
    )
    description = blocks.CharBlock(required=False, max_length=400)

    class Meta:
        icon = "doc-full"
        label = _("Document")
        template = "blocks/document_link_block.html"


class FactBoxBlock(blocks.StructBlock):
    """Key facts beside the story: a title and a short list or paragraph."""

    title = blocks.CharBlock(max_length=120, help_text=_("e.g. 'The vote in numbers'."))
    body = blocks.RichTextBlock(features=FACT_BOX_FEATURES)

    class Meta:
        icon = "list-ul"
        label = _("Fact box")
        template = "blocks/fact_box_block.html"


# The block fields a reader sees as text, by key; ids, URLs and flags are left out.
_TEXT_KEYS = (
    "quote",
    "attribution",
    "role",
    "title",
    "caption",
    "credit",
    "transcript",
    "description",
    "body",
    "source",
)
_TAG = re.compile(r"<[^>]*>")
_SPACE = re.compile(r"\s+")


def _plain(value: str) -> str:
    if "<" in value:
        value = _TAG.sub(" ", value)
    return _SPACE.sub(" ", html.unescape(value)).strip()


def _value_texts(value, texts: list[str]) -> None:
    """Add the text of one stored block value (any shape) to ``texts``, in order."""
    if isinstance(value, str):
        texts.append(_plain(value))
    elif isinstance(value, list):
        for item in value:
            # ListBlock items are stored as {"type": "item", "value": ..., "id": ...}.
            if isinstance(item, dict) and item.get("type") == "item" and "value" in item:
                item = item["value"]
            _value_texts(item, texts)
    elif isinstance(value, dict):
        if isinstance(value.get("data"), list):  # a TableBlock value
            if value.get("table_caption"):
                texts.append(_plain(str(value["table_caption"])))
            for row in value["data"]:
                texts.extend(_plain(str(cell)) for cell in row or () if cell is not None)
            return
        for key, item in value.items():
            if key in _TEXT_KEYS or key in ("table", "images"):
                _value_texts(item, texts)


def stream_texts(body) -> list[str]:
    """Return the plain text of a stored StreamField value, block by block, in order.

    Reads the stored JSON rather than building every block, which costs several
    milliseconds a story: a page of search results, or the vocabulary, would pay it
    many times. Paragraphs, headings, quotes, captions, table cells, gallery captions,
    transcripts, document titles and fact boxes are read; ids and addresses are not.
    """
    if not body:
        return []
    raw = body.raw_data if hasattr(body, "raw_data") else body
    texts: list[str] = []
    for block in raw:
        _value_texts(block.get("value"), texts)
    return [t for t in texts if t]
