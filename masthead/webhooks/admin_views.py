"""Administrators register endpoints (Settings > Webhooks) and read the delivery log."""

from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail.admin.ui.tables import Column
from wagtail.admin.viewsets.model import ModelViewSet

from .models import WebhookEndpoint


def _status(endpoint: WebhookEndpoint) -> str:
    if endpoint.paused_at:
        return str(_("Paused after repeated failures"))
    return str(_("Active")) if endpoint.active else str(_("Off"))


class EndpointViewSet(ModelViewSet):
    model = WebhookEndpoint
    icon = "link"
    menu_label = _("Webhooks")
    add_to_settings_menu = True
    list_display = [
        "name",
        "url",
        Column("status", label=_("Status"), accessor=_status),
        Column(
            "log",
            label=_("Deliveries"),
            accessor=lambda e: reverse("webhooks_deliveries", args=[e.pk]),
        ),
    ]
    inspect_view_enabled = False


def deliveries(request, endpoint_id: int):
    endpoint = get_object_or_404(WebhookEndpoint, pk=endpoint_id)
    rows = endpoint.deliveries.order_by("-created_at")[:200]
    return TemplateResponse(
        request,
        "webhooks/deliveries.html",
        {"endpoint": endpoint, "rows": rows, "status": _status(endpoint)},
    )
