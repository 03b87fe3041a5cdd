from django.urls import path

from . import session_views

app_name = "session"

urlpatterns = [
    path("status/", session_views.status, name="status"),
    path("keep-alive/", session_views.keep_alive, name="keep_alive"),
]
