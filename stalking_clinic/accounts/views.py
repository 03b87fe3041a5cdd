"""Signing in (password, then the second factor), setting up the second factor, one's own account,
and changing or resetting a password."""

from urllib.parse import urlencode

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe

from stalking_clinic.access import POST_ONLY, POSTS, Perm, require

from . import second_factor
from .forms import (
    ClinicPasswordChangeForm,
    ClinicPasswordResetForm,
    ClinicSetPasswordForm,
    CodeForm,
    EnrolmentForm,
    SignInForm,
)
from .middleware import second_factor_step
from .services import second_factor as services

WRONG_CODE = (
    "The code is not right. Enter the code your authenticator app shows now, or one of your "
    "recovery codes"
)


def sign_in_context(form) -> dict:
    return {"form": form, "demo_skips_second_factor": second_factor.demo_skip_applies()}


class SignInView(auth_views.LoginView):
    """The password; then the second factor (``verify``), unless this login may skip it."""

    template_name = "accounts/sign_in.html"
    authentication_form = SignInForm
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        return context | sign_in_context(context["form"])

    def get_success_url(self):
        then = super().get_success_url()
        if second_factor.session_verified(self.request):
            return then
        return _with_next("accounts:verify", then)


def _with_next(name: str, then: str) -> str:
    return f"{reverse(name)}?{urlencode({'next': then})}"


def _next_page(request) -> str:
    then = request.POST.get("next") or request.GET.get("next") or ""
    if then and url_has_allowed_host_and_scheme(
        then, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return then
    return reverse("home:index")


@second_factor_step
@require(Perm.HOME, methods=POSTS)
def verify(request):
    """The second step of signing in: a code from the app, or a recovery code."""
    then = _next_page(request)
    if second_factor.session_verified(request):
        return redirect(then)
    if second_factor.authenticator(request.user) is None:
        return redirect(_with_next("accounts:enrol", then))
    form = CodeForm(request.POST or None)
    if form.is_valid():
        if services.verify(request, form.cleaned_data["code"]):
            return redirect(then)
        form.add_error("code", WRONG_CODE)
    return render(request, "accounts/verify.html", {"form": form, "next": then})


def _qr_code_svg(url: str) -> str:
    image = qrcode.make(url, image_factory=qrcode.image.svg.SvgPathImage, box_size=12, border=2)
    svg = image.to_string(encoding="unicode")
    # Made here from our own URL: no user input reaches it.
    return mark_safe(  # noqa: S308
        svg.replace("<svg ", '<svg role="img" aria-label="QR code" class="clinic-qr-code" ', 1)
    )


def _grouped(hex_key: str) -> str:
    """The secret as an authenticator app asks for it: base32, in groups of four."""
    from base64 import b32encode

    secret = b32encode(bytes.fromhex(hex_key)).decode().rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


@second_factor_step
@require(Perm.HOME, methods=POSTS)
def enrol(request):
    """Set up an authenticator app: scan the QR code (or type the secret), then confirm a code;
    the recovery codes are shown once, when it is confirmed."""
    then = _next_page(request)
    if second_factor.authenticator(request.user) is not None:
        return redirect(_with_next("accounts:verify", then))
    device = services.enrolment_start(request.user)
    form = EnrolmentForm(request.POST or None)
    if form.is_valid():
        codes = services.enrolment_confirm(request, device, form.cleaned_data["code"])
        if codes is not None:
            return render(
                request,
                "accounts/recovery_codes.html",
                {"codes": codes, "next": then, "first_time": True},
            )
        form.add_error("code", "The code is not right. Enter the code your app shows now")
    return render(
        request,
        "accounts/enrol.html",
        {
            "form": form,
            "next": then,
            "secret": _grouped(device.key),
            "qr_code": _qr_code_svg(device.config_url),
        },
    )


@require(Perm.HOME)
def account(request):
    """One's own account: the second factor, recovery codes left, and changing the password."""
    return render(
        request,
        "accounts/account.html",
        {
            "authenticator": second_factor.authenticator(request.user),
            "recovery_codes_left": second_factor.recovery_codes_left(request.user),
        },
    )


@require(Perm.HOME, methods=POST_ONLY)
def recovery_codes_new(request):
    codes = services.recovery_codes_renew(request)
    return render(
        request,
        "accounts/recovery_codes.html",
        {"codes": codes, "next": reverse("accounts:account"), "first_time": False},
    )


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"
    form_class = ClinicPasswordChangeForm
    success_url = reverse_lazy("accounts:account")

    def form_valid(self, form):
        from stalking_clinic.audit.models import AuditEvent
        from stalking_clinic.audit.services import record

        response = super().form_valid(form)
        record(
            actor=self.request.user,
            action=AuditEvent.Action.ALTERATION,
            obj=self.request.user,
            changed_fields=["password"],
            request=self.request,
        )
        messages.success(self.request, "Your password has been changed.")
        return response


class PasswordResetView(auth_views.PasswordResetView):
    """Asks for an email address; whether it belongs to an account or not, the next page says the
    same. The email holds only the link."""

    template_name = "accounts/password_reset.html"
    form_class = ClinicPasswordResetForm
    email_template_name = "accounts/email/password_reset.txt"
    subject_template_name = "accounts/email/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password_reset_done")

    @property
    def extra_email_context(self):
        # The link is built on SITE_URL, never on the Host header a request brings.
        return {"site_url": settings.SITE_URL}


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"
    form_class = ClinicSetPasswordForm
    success_url = reverse_lazy("accounts:password_reset_complete")


password_change = require(Perm.HOME, methods=POSTS)(PasswordChangeView.as_view())
