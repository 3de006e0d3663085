from django.urls import path

from . import views

urlpatterns = [
    path("seen/<str:token>.gif", views.beacon, name="discovery_beacon"),
]
