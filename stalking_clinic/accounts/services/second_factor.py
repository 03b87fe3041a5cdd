"""Setting up, using, renewing and resetting a user's second factor. Each write is one transaction
with one audit entry (the user's record, altered: never the secret or a code)."""

from __future__ import annotations

from django.db import transaction
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from stalking_clinic.audit.models import AuditEvent
from stalking_clinic.audit.services import record

from ..second_factor import authenticator

RECOVERY_CODE_COUNT = 10
APP_NAME = "Authenticator app"
RECOVERY_NAME = "Recovery codes"


def enrolment_start(user) -> TOTPDevice:
    """The authenticator app being set up: a new secret the first time, the same one until it is
    confirmed (so reloading the page does not change the QR code already scanned)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    return device or TOTPDevice.objects.create(user=user, name=APP_NAME, confirmed=False)


def _new_recovery_codes(user) -> list[str]:
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=RECOVERY_NAME, confirmed=True)
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


def enrolment_confirm(request, device: TOTPDevice, code: str) -> list[str] | None:
    """Confirm the app being set up with a code from it: the session is verified and the user
    gets new recovery codes (returned, to be shown once). None if the code is not right."""
    user = request.user
    with transaction.atomic():
        device = TOTPDevice.objects.select_for_update().get(pk=device.pk, user=user)
        if device.confirmed or authenticator(user) is not None:
            return None
        if not device.verify_token(_digits(code)):
            return None
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        TOTPDevice.objects.filter(user=user, confirmed=False).delete()
        codes = _new_recovery_codes(user)
        record(
            actor=user,
            action=AuditEvent.Action.ALTERATION,
            obj=user,
            changed_fields=["second factor set up"],
            request=request,
        )
    _verified(request, device)
    return codes


def verify(request, code: str) -> bool:
    """Check a code from the user's app, or one of their recovery codes (each works once); on
    success the session is verified."""
    user = request.user
    code = code.strip()
    digits = _digits(code)
    if digits.isdigit() and len(digits) == 6:
        devices = TOTPDevice.objects.filter(user=user, confirmed=True)
        token = digits
    else:
        devices = StaticDevice.objects.filter(user=user, confirmed=True)
        token = code.replace(" ", "").replace("-", "").lower()
    for candidate in devices:
        with transaction.atomic():
            device = type(candidate).objects.select_for_update().get(pk=candidate.pk)
            if device.verify_token(token):
                _verified(request, device)
                return True
    return False


def recovery_codes_renew(request) -> list[str]:
    """New recovery codes for the signed-in user; the old ones stop working."""
    with transaction.atomic():
        codes = _new_recovery_codes(request.user)
        record(
            actor=request.user,
            action=AuditEvent.Action.ALTERATION,
            obj=request.user,
            changed_fields=["recovery codes renewed"],
            request=request,
        )
    return codes


def second_factor_reset(user, *, by, request=None) -> None:
    """An administrator removes a user's app and recovery codes (lost phone): the user sets up a
    new app at their next sign-in, and any session verified with the old one is no longer."""
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user).delete()
        StaticDevice.objects.filter(user=user).delete()
        record(
            actor=by,
            action=AuditEvent.Action.ALTERATION,
            obj=user,
            changed_fields=["second factor reset"],
            request=request,
        )


def _digits(code: str) -> str:
    return "".join(code.split()).replace("-", "")


def _verified(request, device) -> None:
    otp_login(request, device)
    # A new session key for the verified session, as at sign-in.
    request.session.cycle_key()
