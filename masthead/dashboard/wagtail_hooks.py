from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.ui.components import Component

from . import desk


class NewsDeskPanel(Component):
    """Scheduled today, waiting for an editor, blocked by the checks, most read, corrections."""

    name = "news_desk"
    template_name = "dashboard/news_desk.html"
    order = 50

    def get_context_data(self, parent_context):
        context = super().get_context_data(parent_context)
        context["columns"] = [
            (_("Going live today"), desk.scheduled_today(), _("Nothing scheduled for today.")),
            (_("Waiting for an editor"), desk.waiting_for_an_editor(), _("No drafts waiting.")),
            (
                _("Blocked by the editorial checks"),
                desk.blocked_by_findings(),
                _("No story waits on a blocking finding."),
            ),
            (_("Most read, last 24 hours"), desk.most_read_today(), _("No views counted yet.")),
            (_("Latest corrections"), desk.latest_corrections(), _("No corrections.")),
        ]
        return context


@hooks.register("construct_homepage_panels")
def add_news_desk(request, panels):
    if request.user.has_perm("wagtailadmin.access_admin"):
        panels.insert(0, NewsDeskPanel())
