"""Administrators issue, limit and revoke partners' API keys (Settings > API keys)."""

from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _
from wagtail.admin.ui.tables import Column, DateColumn
from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSet

from .models import ApiKey


class CreateKeyView(generic.CreateView):
    def save_instance(self):
        key = self.form.instance
        self.raw_key = key.issue()
        key.created_by = self.request.user
        return super().save_instance()

    def save_action(self):
        # The key is shown on this one page and never again: no redirect, no message
        # kept in the session, nothing a browser or proxy may store.
        response = TemplateResponse(
            self.request,
            "api/key_created.html",
            {"key": self.object, "raw_key": self.raw_key, "index_url": self.get_success_url()},
        )
        response["Cache-Control"] = "no-store"
        return response


def _status(key: ApiKey) -> str:
    return str(_("Revoked")) if key.revoked_at else str(_("Active"))


class ApiKeyViewSet(ModelViewSet):
    model = ApiKey
    icon = "key"
    menu_label = _("API keys")
    add_to_settings_menu = True
    add_view_class = CreateKeyView
    list_display = [
        "name",
        Column("prefix", label=_("Starts with")),
        Column("status", label=_("Status"), accessor=_status),
        DateColumn("last_used_at", label=_("Last used")),
        DateColumn("created_at", label=_("Created")),
    ]
    search_fields = ["name", "prefix"]
    inspect_view_enabled = False
