"""Completeness: the parts every published story needs around its text."""

from django.utils.translation import gettext as _

from ..findings import Finding
from ..lexicon import Lexicon
from ..story import Story

# Search engines cut titles at roughly 600 pixels, about 70 characters.
HEADLINE_LIMIT = 70


def _missing(rule: str, field: str, message: str, suggestion: str = "") -> Finding:
    return Finding(rule=rule, message=message, field=field, suggestion=suggestion)


def check_completeness(story: Story, lexicon: Lexicon) -> list[Finding]:
    """Return findings for empty fields a story should fill; unknown fields (None) pass."""
    findings = []
    if story.standfirst is not None and not story.standfirst.strip():
        findings.append(
            _missing("completeness.standfirst", "standfirst", _("The story has no standfirst."))
        )
    if story.has_lead_image and story.lead_image is not None:
        image = story.lead_image
        if not image.caption.strip():
            findings.append(
                _missing(
                    "completeness.caption",
                    "lead_image_caption",
                    _("The lead image has no caption."),
                )
            )
        if not image.credit.strip():
            findings.append(
                _missing(
                    "completeness.credit", "lead_image_credit", _("The lead image has no credit.")
                )
            )
        if not image.alt.strip():
            findings.append(
                _missing(
                    "completeness.alt_text",
                    "lead_image",
                    _("The lead image has no alt text; describe it in the image library."),
                )
            )
    if story.source is not None and not story.source.strip() and not story.authors:
        findings.append(
            _missing(
                "completeness.source",
                "source_name",
                _("The story names no source and has no byline: say where it comes from."),
            )
        )
    if (story.section is not None and not story.section.strip()) or (
        story.topics is not None and not story.topics
    ):
        findings.append(
            _missing("completeness.topic", "topics", _("The story has no section or topic."))
        )
    headline = story.headline.strip()
    if not headline:
        findings.append(_missing("completeness.headline", "title", _("The story has no headline.")))
    elif len(headline) > HEADLINE_LIMIT:
        findings.append(
            Finding(
                rule="completeness.headline_length",
                message=_(
                    "The headline is %(length)d characters; search results show about %(limit)d."
                )
                % {"length": len(headline), "limit": HEADLINE_LIMIT},
                field="title",
                text=headline[HEADLINE_LIMIT:],
                start=HEADLINE_LIMIT,
                end=len(headline),
                context=headline,
            )
        )
    return findings
