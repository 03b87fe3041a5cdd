"""Sign-in and sign-out go to the audit log: who had access, and when."""

from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from .models import AuditEvent
from .services import record


@receiver(user_logged_in)
def _signed_in(sender, request, user, **kwargs):
    record(actor=user, action=AuditEvent.Action.SIGN_IN, obj=user, request=request)


@receiver(user_logged_out)
def _signed_out(sender, request, user, **kwargs):
    if user is not None:
        record(actor=user, action=AuditEvent.Action.SIGN_OUT, obj=user, request=request)


@receiver(user_login_failed)
def _sign_in_failed(sender, credentials, request=None, **kwargs):
    # Only name an account that exists: what was typed may be a password in the wrong box.
    user = get_user_model().objects.filter(username=credentials.get("username", "")).first()
    record(
        actor=None,
        action=AuditEvent.Action.SIGN_IN_FAILED,
        obj=user,
        request=request,
    )
