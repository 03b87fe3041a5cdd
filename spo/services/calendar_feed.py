"""The secret calendar address: the token in it that lets a calendar program, which cannot sign
in, read a solicitor's protection orders calendar (``selectors.calendar``) as an iCalendar feed.

Only a hash of the token is stored: a copy of the database gives no one a working address, and a
new token replaces the old one at once.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

from django.db import transaction
from django.utils import timezone

from stalking_clinic.access import Perm, can

from ..models import CalendarFeed


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def calendar_feed_replace(*, user) -> str:
    """Give ``user`` a new secret calendar address token, replacing any old one; return it (it is
    shown once and never stored)."""
    token = secrets.token_urlsafe(32)
    CalendarFeed.objects.update_or_create(
        user=user, defaults={"token_hash": token_hash(token), "created_at": timezone.now()}
    )
    return token


@transaction.atomic
def calendar_feed_use(*, token: str):
    """The user a feed token belongs to, if they may still use the calendar; else None. A use
    is recorded on the feed (the calendar page shows when a program last read it).

    The lookup is by the token's SHA-256, so comparing in the database reveals nothing useful
    about the token itself; the constant-time comparison afterwards guards the match anyway.
    """
    wanted = token_hash(token)
    feed = CalendarFeed.objects.select_related("user").filter(token_hash=wanted).first()
    if feed is None or not hmac.compare_digest(feed.token_hash, wanted):
        return None
    if not feed.user.is_active or not can(feed.user, Perm.SPO):
        return None
    CalendarFeed.objects.filter(pk=feed.pk).update(last_used_at=timezone.now())
    return feed.user
