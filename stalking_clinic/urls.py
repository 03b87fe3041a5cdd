from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from stalking_clinic.access import public
from stalking_clinic.accounts.views import SignInView
from stalking_clinic.home import views as home_views

urlpatterns = [
    path("", include("stalking_clinic.home.urls")),
    path(
        "sign-in/",
        public(SignInView.as_view()),
        name="login",
    ),
    path("sign-out/", public(auth_views.LogoutView.as_view()), name="logout"),
    path("session/", include("stalking_clinic.accounts.session_urls")),
    path("account/", include("stalking_clinic.accounts.urls")),
    path("healthz", home_views.healthz, name="healthz"),
    path("referrals/", include("referrals.urls")),
    path("meetings/", include("meetings.urls")),
    path("protection-orders/", include("spo.urls")),
    path("training/", include("training.urls")),
    path("audit/", include("stalking_clinic.audit.urls")),
    path("admin/", admin.site.urls),
]
