"""The findings panel on the story edit view."""

import logging

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import Panel

from .findings import BLOCKING, CHECKS, ERROR

logger = logging.getLogger(__name__)

OVERRIDE_FIELD = "editorial_override_reason"


FIELD_LABELS = {
    "title": _("Headline"),
    "standfirst": _("Standfirst"),
    "lead_image": _("Lead image"),
    "lead_image_caption": _("Lead image caption"),
    "lead_image_credit": _("Lead image credit"),
    "source_name": _("Source"),
    "topics": _("Topics"),
}
_CONTEXT = 50


# Findings about a word the newsroom may simply use: accepting it adds it to the word list.
ACCEPTABLE_RULES = ("spelling.", "names.")


def _place(story, field: str, start: int, end: int, text: str) -> dict:
    """Return where a piece of text is: the field's label and the words around it."""
    segment = story.segment(field) if story and field else None
    label = segment.label if segment else FIELD_LABELS.get(field, field)
    place = {"label": label, "text": text, "before": "", "after": ""}
    if segment and text and segment.text[start:end] == text:
        left = max(0, start - _CONTEXT)
        place["before"] = ("…" if left else "") + segment.text[left:start]
        right = end + _CONTEXT
        place["after"] = segment.text[end:right] + ("…" if right < len(segment.text) else "")
    return place


def _row(story, finding) -> dict:
    """Return what the panel shows for a finding: both spellings, each where it occurs."""
    here = _place(story, finding.field, finding.start, finding.end, finding.text)
    return {
        "finding": finding,
        "label": here["label"],
        "before": here["before"],
        "after": here["after"],
        "others": [_place(story, p.field, p.start, p.end, p.text) for p in finding.others],
        "acceptable": bool(finding.text)
        and finding.rule.startswith(ACCEPTABLE_RULES)
        and " " not in finding.text.strip(),
    }


class EditorialFindingsPanel(Panel):
    """Show the editorial findings for the story as last saved, with suggested fixes."""

    def __init__(self, **kwargs):
        kwargs.setdefault("heading", _("Editorial checks"))
        super().__init__(**kwargs)

    class BoundPanel(Panel.BoundPanel):
        template_name = "editorial/panel.html"

        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            context.update(panel_context(self.instance, getattr(self.request, "user", None)))
            page_id = getattr(self.instance, "pk", None)
            if page_id:
                context["live_url"] = reverse("editorial_live_check", args=[page_id])
            return context


def panel_context(page, user) -> dict:
    """Return what the findings template needs for ``page`` as it is in memory."""
    from .services import check_page_with_story

    try:
        story, findings = check_page_with_story(page)
        failed = False
    except Exception:
        # Whatever goes wrong here, the editor must still be able to save.
        logger.exception("Editorial checks could not run")
        story, findings, failed = None, [], True
    order = {check: i for i, check in enumerate(CHECKS)}
    findings.sort(key=lambda f: (not f.blocking, order.get(f.check, 99)))
    return {
        "findings": findings,
        "rows": [_row(story, f) for f in findings],
        "failed": failed,
        "blocking_count": sum(f.severity == BLOCKING for f in findings),
        "error_count": sum(f.severity == ERROR for f in findings),
        "can_override": bool(user and user.has_perm("editorial.override_blocking")),
        "override_field": OVERRIDE_FIELD,
        "can_accept": bool(user and user.has_perm("editorial.add_newsroomword")),
        "accept_url": reverse("editorial_accept_word"),
    }
