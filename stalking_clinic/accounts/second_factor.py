"""Reads about the second factor: whether this session has passed it, and whether it may skip it.

Every account has a second factor: an authenticator app (a django-otp TOTP device), with recovery
codes (a static device) for when the app is lost. A session is verified once a code from either
has been accepted (django-otp keeps the device in the session; ``OTPMiddleware`` reloads it on each
request, so a device removed by an administrator unverifies every session at once). Writes are in
``services/second_factor.py``.
"""

from django.conf import settings
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice


def authenticator(user) -> TOTPDevice | None:
    """The user's confirmed authenticator app, if they have set one up."""
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def recovery_codes_left(user) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


def recovery_device(user) -> StaticDevice | None:
    return StaticDevice.objects.filter(user=user, confirmed=True).first()


def demo_skip_applies() -> bool:
    """Whether demo logins skip the second factor here: in development only, when DEMO_SKIP_MFA
    is on (settings refuse it anywhere else; this checks again)."""
    return settings.DJANGO_ENV == "development" and settings.DEMO_SKIP_MFA


def may_skip(user) -> bool:
    """A demo login made by `seed_demo`, in development with DEMO_SKIP_MFA on."""
    if not demo_skip_applies():
        return False
    from stalking_clinic.demo.users import USERS

    return user.username in {username for username, *_ in USERS} and user.email.endswith(
        "@demo.invalid"
    )


def session_verified(request) -> bool:
    """Has this signed-in session passed the second factor (or may it skip it)?"""
    user = request.user
    if not user.is_authenticated:
        return False
    is_verified = getattr(user, "is_verified", None)
    return bool(is_verified and is_verified()) or may_skip(user)
