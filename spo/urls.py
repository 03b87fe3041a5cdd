from django.urls import path

from . import views

app_name = "spo"

urlpatterns = [
    path("", views.index, name="index"),
]
