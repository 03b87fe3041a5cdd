"""Unusual access: one account opening many records in a short time.

Each consultation of one record (a page of a case, person, referral…, not a list) runs one count
on the actor's index (``audit_actor_idx``): the distinct records the account opened in the last
``UNUSUAL_ACCESS_MINUTES``. At ``UNUSUAL_ACCESS_RECORDS`` or more, and with no alert for that
account in the window yet, an ``UnusualAccess`` is made: the tactical lead's home page lists it
("Unusual access to review") and each active tactical lead gets an email with a link to the
account's audit log (the account's username, never a victim's or suspect's name).
"""

from __future__ import annotations

import datetime
import logging

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode

from .models import AuditEvent, UnusualAccess

log = logging.getLogger(__name__)


def check_after(event: AuditEvent) -> UnusualAccess | None:
    """After ``event`` is recorded: alert if its actor has now opened unusually many records."""
    if event.action != AuditEvent.Action.CONSULTATION or not event.object_id or not event.actor_id:
        return None
    since = event.at - datetime.timedelta(minutes=settings.UNUSUAL_ACCESS_MINUTES)
    opened = (
        AuditEvent.objects.filter(
            actor_id=event.actor_id, at__gte=since, action=AuditEvent.Action.CONSULTATION
        )
        .exclude(object_id="")
        .values("object_type", "object_id")
        .distinct()
        .count()
    )
    if opened < settings.UNUSUAL_ACCESS_RECORDS:
        return None
    if UnusualAccess.objects.filter(user_id=event.actor_id, detected_at__gte=since).exists():
        return None
    alert = UnusualAccess.objects.create(
        user_id=event.actor_id,
        detected_at=event.at,
        records=opened,
        minutes=settings.UNUSUAL_ACCESS_MINUTES,
    )
    transaction.on_commit(lambda: _email_tactical_leads(alert))
    return alert


def audit_search_link(username: str) -> str:
    """The audit log of ``username``'s events (their account name, no one else's)."""
    return reverse("audit:search") + "?" + urlencode({"user": username})


def _email_tactical_leads(alert: UnusualAccess) -> None:
    from stalking_clinic.accounts.models import Role, User

    username = alert.user.username
    url = settings.SITE_URL + audit_search_link(username)
    leads = User.objects.filter(is_active=True, roles__contains=[Role.TACTICAL_LEAD]).exclude(
        email=""
    )
    for lead in leads:
        try:
            send_mail(
                "Unusual access to review",
                f"The account {username} opened {alert.records} records within "
                f"{alert.minutes} minutes. Its audit log:\n\n{url}\n",
                None,
                [lead.email],
            )
        except Exception:  # a mail failure must not lose the alert; it is on the home page
            log.exception("Could not email unusual access alert %s", alert.pk)


def to_review():
    return UnusualAccess.objects.filter(reviewed_at__isnull=True).select_related("user")


def mark_reviewed(alert: UnusualAccess, *, by) -> None:
    from . import services

    with transaction.atomic():
        alert.reviewed_at = timezone.now()
        alert.reviewed_by = by
        alert.save(update_fields=["reviewed_at", "reviewed_by"])
        services.record(
            actor=by, action=AuditEvent.Action.ALTERATION, obj=alert, changed_fields=["reviewed"]
        )
