"""The licences a story can carry, and which of them let other outlets republish it.

A story names one by code; an empty code means the site's default (Settings >
Publication). The list is short on purpose: the Creative Commons licences news
outlets use for republication, and "all rights reserved".
"""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Licence:
    code: str
    name: str
    url: str
    republishable: bool
    # Whether a republisher may change the text (ND licences forbid it).
    derivatives: bool = False


ALL_RIGHTS_RESERVED = "all-rights-reserved"
LICENCES = {
    licence.code: licence
    for licence in (
        Licence(
            "cc-by-nd-4.0",
            "CC BY-ND 4.0",
            "https://creativecommons.org/licenses/by-nd/4.0/",
            True,
        ),
        Licence(
            "cc-by-nc-nd-4.0",
            "CC BY-NC-ND 4.0",
            "https://creativecommons.org/licenses/by-nc-nd/4.0/",
            True,
        ),
        Licence(
            "cc-by-4.0", "CC BY 4.0", "https://creativecommons.org/licenses/by/4.0/", True, True
        ),
        Licence(ALL_RIGHTS_RESERVED, "All rights reserved (not for republication)", "", False),
    )
}
DEFAULT = ALL_RIGHTS_RESERVED

CHOICES = [(code, licence.name) for code, licence in LICENCES.items()]
STORY_CHOICES = [("", _("The site's default")), *CHOICES]


def get(code: str | None, default: str | None = None) -> Licence:
    """Return the licence named by ``code``, else by ``default``, else all rights reserved."""
    return LICENCES.get(code or "") or LICENCES.get(default or "") or LICENCES[DEFAULT]
