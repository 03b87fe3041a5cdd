"""The secret calendar address: the token in it that lets a calendar program, which cannot sign
in, read a solicitor's protection orders calendar (``selectors.calendar``) as an iCalendar feed.

Only a hash of the token is stored: a copy of the database gives no one a working address, and a
new token replaces the old one at once. An address works for ``CALENDAR_FEED_DAYS`` after it was
made; its owner can revoke it. Making, using (once a day) and revoking it go to the audit log; the
token never reaches a log line (``stalking_clinic.log_redaction``).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

from django.db import transaction
from django.utils import timezone

from stalking_clinic.access import Perm, can
from stalking_clinic.audit.models import AuditEvent
from stalking_clinic.audit.services import record

from ..models import CalendarFeed


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def calendar_feed_replace(*, user, request=None) -> str:
    """Give ``user`` a new secret calendar address token, replacing any old one; return it (it is
    shown once and never stored)."""
    token = secrets.token_urlsafe(32)
    feed, _ = CalendarFeed.objects.update_or_create(
        user=user,
        defaults={
            "token_hash": token_hash(token),
            "created_at": timezone.now(),
            "last_used_at": None,
        },
    )
    record(actor=user, action=AuditEvent.Action.COLLECTION, obj=feed, request=request)
    return token


@transaction.atomic
def calendar_feed_revoke(*, user, request=None) -> bool:
    """Revoke ``user``'s secret calendar address, if they have one (True if they did)."""
    feed = CalendarFeed.objects.select_for_update().filter(user=user).first()
    if feed is None:
        return False
    record(actor=user, action=AuditEvent.Action.ERASURE, obj=feed, request=request)
    feed.delete()
    return True


@transaction.atomic
def calendar_feed_use(*, token: str, request=None):
    """The user a feed token belongs to, if they may still use the calendar and the address has
    not expired; else None. A use is recorded on the feed (the calendar page shows when a
    program last read it), and the first use each day in the audit log as a consultation.

    The lookup is by the token's SHA-256, so comparing in the database reveals nothing useful
    about the token itself; the constant-time comparison afterwards guards the match anyway.
    """
    wanted = token_hash(token)
    feed = CalendarFeed.objects.select_related("user").filter(token_hash=wanted).first()
    if feed is None or not hmac.compare_digest(feed.token_hash, wanted):
        return None
    now = timezone.now()
    if not feed.user.is_active or not can(feed.user, Perm.SPO) or feed.expires_at <= now:
        return None
    last = feed.last_used_at
    if last is None or timezone.localdate(last) != timezone.localdate(now):
        # The path is left out: it holds the token.
        record(
            actor=feed.user,
            action=AuditEvent.Action.CONSULTATION,
            obj=feed,
            justification="Calendar program read the protection orders feed",
        )
    CalendarFeed.objects.filter(pk=feed.pk).update(last_used_at=now)
    return feed.user
