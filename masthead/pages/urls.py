from django.urls import path

from . import views

urlpatterns = [
    path("", views.corrections_page, name="corrections"),
    path("feed/", views.corrections_feed, name="corrections_feed"),
]
