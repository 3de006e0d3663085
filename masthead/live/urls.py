"""Reader-facing addresses of live pages. Include before Wagtail's catch-all page route."""

from django.urls import path

from . import views

urlpatterns = [
    path("<int:page_id>/updates.json", views.updates, name="live_updates"),
]
