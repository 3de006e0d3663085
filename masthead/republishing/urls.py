from django.urls import path

from . import views

urlpatterns = [
    path("<int:story_id>/", views.republish_page, name="republish_story"),
    path("seen/<str:token>.gif", views.pixel, name="republishing_pixel"),
]
