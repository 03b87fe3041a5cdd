"""Reminders before a training session, to each trainee booked on it.

``send_session_reminders`` runs hourly from beat (see CELERY_BEAT_SCHEDULE). Every BOOKED booking
on a scheduled session starting within TRAINING_REMINDER_HOURS gets one ``SessionReminder`` row
per start time, inserted with ON CONFLICT DO NOTHING on the unique (booking, starts_at): running
the job twice sends nothing twice, and a session moved to a new time gets a reminder of its own.
Someone on the waiting list is not reminded; promoted within the window, they are reminded at the
next run.

Only the rows this run inserted are emailed, to the trainee's address: the course, the date and
time, the place or online link, and a link to sign in. A trainee with no address is logged (by
booking reference, never a name or an address) and skipped.
"""

from __future__ import annotations

import datetime
import logging

from django.conf import settings
from django.core.mail import send_mail
from django.db import connection
from django.urls import reverse
from django.utils import timezone
from django.utils.dateformat import format as date_format

from stalking_clinic.locks import Lock, try_hold

from .models import Booking, Session, SessionReminder

logger = logging.getLogger(__name__)


def send_session_reminders(now: datetime.datetime | None = None) -> int:
    """Insert the reminders of bookings whose session starts within the reminder window from
    ``now`` (default: the current time) and email the new ones; return how many were sent.

    A session-level advisory lock keeps two workers from running it at once: the second stops
    at once and leaves the work to the first.
    """
    now = now or timezone.now()
    with try_hold(Lock.SESSION_REMINDERS) as held:
        if not held:
            logger.info("Session reminders already running elsewhere; skipped")
            return 0
        new = _insert(now)
        sent = _email(new)
    logger.info("Session reminders: %s new, %s emails sent", len(new), sent)
    return sent


def _insert(now: datetime.datetime) -> list[int]:
    """One statement: a reminder row for each booking on a session starting in the window, at
    its current start time, that has none yet. Returns the ids of the bookings inserted now."""
    reminders = SessionReminder._meta.db_table
    bookings = Booking._meta.db_table
    sessions = Session._meta.db_table
    until = now + datetime.timedelta(hours=settings.TRAINING_REMINDER_HOURS)
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            INSERT INTO {reminders} (booking_id, starts_at, sent_at)
            SELECT b.id, s.starts_at, %s
            FROM {bookings} b JOIN {sessions} s ON s.id = b.session_id
            WHERE b.status = %s AND s.status = %s AND s.starts_at > %s AND s.starts_at <= %s
            ON CONFLICT (booking_id, starts_at) DO NOTHING
            RETURNING booking_id
            """,  # noqa: S608 - the table names are the models', the values are parameters
            [
                timezone.now(),
                Booking.Status.BOOKED.value,
                Session.Status.SCHEDULED.value,
                now,
                until,
            ],
        )
        return [row[0] for row in cursor.fetchall()]


def _email(booking_ids: list[int]) -> int:
    """Email each new reminder. The row records that the reminder fell due: a failed send is
    logged, not retried (the booking is on the trainee's "My training" page)."""
    if not booking_ids:
        return 0
    url = settings.SITE_URL + reverse("training:my_training")
    sent = 0
    for booking in (
        Booking.objects.filter(pk__in=booking_ids)
        .select_related("session__course", "trainee")
        .order_by("pk")
    ):
        if not booking.trainee.email:
            logger.warning("Session reminder for %s: no email address", booking.reference)
            continue
        session = booking.session
        starts = timezone.localtime(session.starts_at)
        where = session.venue or "Online"
        lines = [
            f"You are booked on {session.course.title}.",
            "",
            f"When: {date_format(starts, 'l j F Y')}, {date_format(starts, 'H:i')} "
            f"to {date_format(timezone.localtime(session.ends_at), 'H:i')}",
            f"Where: {where}",
        ]
        if session.online_link:
            lines.append(f"Join online: {session.online_link}")
        lines += ["", "If you can no longer attend, cancel your booking:", url, ""]
        try:
            send_mail(
                f"Training reminder: {session.course.title} on {date_format(starts, 'D j M Y')}",
                "\n".join(lines),
                None,
                [booking.trainee.email],
            )
        except OSError:
            logger.exception("Session reminder for %s could not be emailed", booking.reference)
            continue
        sent += 1
    return sent
