"""The story editor's form: curation fields only for the roles allowed to curate.

Wagtail's panel ``permission`` hides a group of fields but still accepts its rows in a
POST, so hiding alone would let a contributor pin stories with a hand-made request.
This form drops the pins and exclusions formsets for users without the permission, and
``FieldPanel(permission=...)`` drops the editor's choice tick box the same way: what a
user may not change is not in their form at all, and the stored value is kept.
"""

from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.admin.panels import InlinePanel, Panel

from masthead.accounts.roles import EXCLUDE_RELATED, PIN_RELATED

RESTRICTED_FORMSETS = {"related_pins": PIN_RELATED, "related_exclusions": EXCLUDE_RELATED}


class ArticlePageForm(WagtailAdminPageForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        user = self.for_user
        for name, permission in RESTRICTED_FORMSETS.items():
            if name in self.formsets and not (user and user.has_perm(permission)):
                del self.formsets[name]


class RestrictedInlinePanel(InlinePanel):
    """An inline panel that is not shown when its formset was left out of the form."""

    class BoundPanel(InlinePanel.BoundPanel):
        def __init__(self, **kwargs):
            form = kwargs.get("form")
            self.left_out = form is not None and kwargs["panel"].relation_name not in form.formsets
            if self.left_out:
                Panel.BoundPanel.__init__(self, **kwargs)
                return
            super().__init__(**kwargs)

        def is_shown(self):
            return not self.left_out and super().is_shown()
