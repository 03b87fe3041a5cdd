from django.urls import path

from . import views

app_name = "audit"

urlpatterns = [
    path("", views.search, name="search"),
    path("unusual-access/", views.unusual_access, name="unusual_access"),
    path(
        "unusual-access/<int:pk>/reviewed/",
        views.unusual_access_reviewed,
        name="unusual_access_reviewed",
    ),
]
