"""The findings panel on the story edit view."""

import logging

from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import Panel

from .findings import BLOCKING, CHECKS, ERROR

logger = logging.getLogger(__name__)

OVERRIDE_FIELD = "editorial_override_reason"


class EditorialFindingsPanel(Panel):
    """Show the editorial findings for the story as last saved, with suggested fixes."""

    def __init__(self, **kwargs):
        kwargs.setdefault("heading", _("Editorial checks"))
        super().__init__(**kwargs)

    class BoundPanel(Panel.BoundPanel):
        template_name = "editorial/panel.html"

        def get_context_data(self, parent_context=None):
            from .services import check_page

            context = super().get_context_data(parent_context)
            try:
                findings = check_page(self.instance)
                failed = False
            except Exception:
                logger.exception("Editorial checks could not run")
                findings, failed = [], True
            order = {check: i for i, check in enumerate(CHECKS)}
            findings.sort(key=lambda f: (not f.blocking, order.get(f.check, 99)))
            user = getattr(self.request, "user", None)
            context.update(
                findings=findings,
                failed=failed,
                blocking_count=sum(f.severity == BLOCKING for f in findings),
                error_count=sum(f.severity == ERROR for f in findings),
                can_override=bool(user and user.has_perm("editorial.override_blocking")),
                override_field=OVERRIDE_FIELD,
            )
            return context
