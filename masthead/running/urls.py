from django.urls import path

from . import views

urlpatterns = [path("<slug:slug>/", views.running_story, name="running_story")]
