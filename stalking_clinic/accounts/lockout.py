"""Lockout after repeated failed sign-ins (django-axes), per account and per client address.

Axes counts failures for each of ``AXES_LOCKOUT_PARAMETERS`` (the account name typed, the client
address) and compares the largest count with one limit. An office signs in from one address, so
the address gets a limit of its own (``SIGN_IN_ADDRESS_FAILURE_LIMIT``), larger than an account's
(``SIGN_IN_FAILURE_LIMIT``): ``LockoutHandler`` reports failures as the account's limit less the
smallest room left under either, so axes's one comparison locks out when either is reached.

Names that belong to no account are counted the same way, and the lockout page says the same, so
neither tells whether an account exists.
"""

import datetime

from axes.handlers.database import AxesDatabaseHandler
from django.conf import settings
from django.shortcuts import render
from django.utils.translation import ngettext

from stalking_clinic.client_address import client_ip


def client_address(request) -> str | None:
    """The client's address, read as the audit log reads it."""
    return client_ip(request)


def account_failure_limit(request, credentials) -> int:
    return settings.SIGN_IN_FAILURE_LIMIT


def cool_off(request) -> datetime.timedelta:
    return datetime.timedelta(minutes=settings.SIGN_IN_COOLOFF_MINUTES)


class LockoutHandler(AxesDatabaseHandler):
    def get_failures(self, request, credentials=None) -> int:
        # get_user_attempts returns one set of attempts per lockout parameter, in their order.
        limits = {
            "username": settings.SIGN_IN_FAILURE_LIMIT,
            "ip_address": settings.SIGN_IN_ADDRESS_FAILURE_LIMIT,
        }
        room = [
            limits[parameter] - sum(attempt.failures_since_start for attempt in attempts)
            for parameter, attempts in zip(
                settings.AXES_LOCKOUT_PARAMETERS,
                self.get_user_attempts(request, credentials),
                strict=True,
            )
        ]
        return settings.SIGN_IN_FAILURE_LIMIT - min(room)


def lockout_message() -> str:
    minutes = settings.SIGN_IN_COOLOFF_MINUTES
    wait = ngettext("%(n)d minute", "%(n)d minutes", minutes) % {"n": minutes}
    return (
        "You have tried to sign in too many times. Wait "
        f"{wait}, then try again. If you have forgotten your password, reset it."
    )


def locked_out(request, original_response=None, credentials=None):
    """The sign-in page, saying that signing in is refused for a while (429, Too Many Requests)."""
    from .forms import SignInForm
    from .views import sign_in_context

    username = (credentials or {}).get("username") or request.POST.get("username", "")
    form = SignInForm(request, initial={"username": username})
    context = sign_in_context(form) | {"locked_out": lockout_message()}
    return render(request, "accounts/sign_in.html", context, status=429)
