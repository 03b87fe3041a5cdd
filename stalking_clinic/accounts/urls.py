from django.conf import settings
from django.contrib.auth import views as auth_views
from django.urls import path

from stalking_clinic.access import POSTS, public

from . import views

app_name = "accounts"

urlpatterns = [
    path("second-factor/", views.verify, name="verify"),
    path("second-factor/set-up/", views.enrol, name="enrol"),
    path("", views.account, name="account"),
    path("recovery-codes/", views.recovery_codes_new, name="recovery_codes_new"),
    path("password/", views.password_change, name="password_change"),
    path(
        "password/reset/",
        public(views.PasswordResetView.as_view(), methods=POSTS),
        name="password_reset",
    ),
    path(
        "password/reset/sent/",
        public(
            auth_views.PasswordResetDoneView.as_view(
                template_name="accounts/password_reset_done.html",
                extra_context={"reset_minutes": settings.PASSWORD_RESET_TIMEOUT // 60},
            )
        ),
        name="password_reset_done",
    ),
    path(
        "password/reset/<uidb64>/<token>/",
        public(views.PasswordResetConfirmView.as_view(), methods=POSTS),
        name="password_reset_confirm",
    ),
    path(
        "password/reset/done/",
        public(
            auth_views.PasswordResetCompleteView.as_view(
                template_name="accounts/password_reset_complete.html"
            )
        ),
        name="password_reset_complete",
    ),
]
