"""Reminders before a training session, to each trainee booked on it.

A source for the one reminders job (``stalking_clinic.reminders``), registered from
``TrainingConfig.ready``. Every BOOKED booking on a scheduled session starting within
TRAINING_REMINDER_HOURS is due one reminder per start time (the key holds it: a session moved to
a new time is reminded again), to the trainee's email address: a trainee is a record on the
officer list, not always a user. Someone on the waiting list is not reminded; promoted within
the window, they are at the next run. A trainee with no address is logged once, by the booking's
reference, never a name or an address.

The email (``templates/training/email/session.txt``) holds the course, the date and time, the
place or online link, and a link to sign in.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.dateformat import format as date_format

from stalking_clinic.reminders.registry import Due, reminder_source

from .models import Booking, Session

KIND = "training.session"


def session_key(booking_id: int, starts_at: datetime.datetime) -> str:
    """The booking and its start time, in UTC: unambiguous on the night the clocks go back."""
    return f"booking:{booking_id}:{starts_at.astimezone(datetime.UTC):%Y-%m-%dT%H:%MZ}"


@reminder_source
def reminders_due(now: datetime.datetime):
    """A reminder for each booked place on a session starting within the window from ``now``:
    one query."""
    until = now + datetime.timedelta(hours=settings.TRAINING_REMINDER_HOURS)
    bookings = (
        Booking.objects.filter(
            status=Booking.Status.BOOKED,
            session__status=Session.Status.SCHEDULED,
            session__starts_at__gt=now,
            session__starts_at__lte=until,
        )
        .select_related("session__course", "trainee")
        .only(
            "pk", "session__starts_at", "session__venue", "session__online_link",
            "session__course__title", "session__course__duration_minutes", "trainee__email",
        )
        .order_by("pk")
    )  # fmt: skip
    url = reverse("training:my_training")
    for booking in bookings:
        session = booking.session
        starts = timezone.localtime(session.starts_at)
        yield Due(
            kind=KIND,
            key=session_key(booking.pk, session.starts_at),
            event_at=session.starts_at,
            message=f"{session.course.title}, {date_format(starts, 'D j M Y H:i')}",
            url=url,
            context={
                "reference": booking.reference,
                "course": session.course.title,
                "starts_at": session.starts_at,
                "ends_at": session.ends_at,
                "venue": session.venue,
                "online_link": session.online_link,
            },
            email=booking.trainee.email,
        )
