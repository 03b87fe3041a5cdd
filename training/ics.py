"""A booking as a calendar file (``stalking_clinic.calendar_files``), for the trainee's own
calendar.

One event whose UID is fixed per booking (so opening a newer file updates the same event, with
SEQUENCE following the session's version): the session's start and end, the course title, the
venue (or "Online") and the online link or the session's page. Nothing about the trainee.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.urls import reverse

from stalking_clinic.calendar_files import CalendarEvent, calendar_file

from .models import Booking


def booking_calendar(booking: Booking, *, now: datetime.datetime | None = None) -> bytes:
    """The calendar file of ``booking`` (its session and course loaded)."""
    session = booking.session
    url = session.online_link or settings.SITE_URL + reverse(
        "training:session_detail", args=[session.pk]
    )
    event = CalendarEvent(
        uid=f"training-booking-{booking.pk}",
        summary=session.course.title,
        starts_at=session.starts_at,
        ends_at=session.ends_at,
        location=session.where,
        url=url,
        sequence=session.version - 1,
    )
    return calendar_file([event], product="Training bookings", now=now)
