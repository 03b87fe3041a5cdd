"""A booking as an iCalendar (RFC 5545) file, for the trainee's own calendar.

One VEVENT: UID fixed per booking (so opening a newer file updates the same event, with
SEQUENCE following the session's version), DTSTART and DTEND in UTC, SUMMARY the course title,
LOCATION the venue (or "Online") and URL the online link or the session's page. Nothing about
the trainee: the event is copied into calendar programs and phones beyond our control. Lines are
escaped and folded as in ``spo/ics.py``.
"""

from __future__ import annotations

import datetime
from urllib.parse import urlsplit

from django.conf import settings
from django.urls import NoReverseMatch, reverse

from spo.ics import CRLF, escape_text, fold

from .models import Booking


def _utc(moment: datetime.datetime) -> str:
    return moment.astimezone(datetime.UTC).strftime("%Y%m%dT%H%M%SZ")


def _session_url(booking: Booking) -> str:
    session = booking.session
    if session.online_link:
        return session.online_link
    try:
        path = reverse("training:session_detail", args=[session.pk])
    except NoReverseMatch:  # pragma: no cover - the session pages are another module's
        path = reverse("training:my_training")
    return settings.SITE_URL + path


def booking_calendar(booking: Booking, *, now: datetime.datetime | None = None) -> str:
    """The iCalendar text of ``booking`` (its session and course loaded)."""
    session = booking.session
    domain = urlsplit(settings.SITE_URL).hostname or "localhost"
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Stalking Clinic//Training bookings//EN",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        "BEGIN:VEVENT",
        f"UID:training-booking-{booking.pk}@{domain}",
        f"SEQUENCE:{session.version - 1}",
        f"DTSTAMP:{_utc(now or datetime.datetime.now(datetime.UTC))}",
        f"DTSTART:{_utc(session.starts_at)}",
        f"DTEND:{_utc(session.ends_at)}",
        f"SUMMARY:{escape_text(session.course.title)}",
        f"LOCATION:{escape_text(session.where)}",
        f"URL:{_session_url(booking)}",
        "END:VEVENT",
        "END:VCALENDAR",
    ]
    return "".join(fold(line) + CRLF for line in lines)
