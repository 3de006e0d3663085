"""The events partners can subscribe to."""

from django.utils.translation import gettext_lazy as _

EVENTS = [
    ("story.published", _("Story published")),
    ("story.updated", _("Story updated")),
    ("story.corrected", _("Story corrected")),
    ("story.unpublished", _("Story unpublished")),
    ("story.deleted", _("Story deleted")),
    ("live_entry.published", _("Live entry published")),
    ("live_entry.updated", _("Live entry updated")),
    ("newsletter.sent", _("Newsletter issue sent")),
]
EVENT_NAMES = [name for name, _label in EVENTS]
