from django.urls import path
from wagtail import hooks

from .admin_views import EndpointViewSet, deliveries


@hooks.register("register_admin_viewset")
def register_endpoints():
    return EndpointViewSet("webhooks")


@hooks.register("register_admin_urls")
def register_delivery_log():
    return [path("webhook-log/<int:endpoint_id>/", deliveries, name="webhooks_deliveries")]
