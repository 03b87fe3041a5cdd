"""An iCalendar (RFC 5545) writer for the protection orders calendar.

Only what RFC 5545 requires and calendar programs need: VCALENDAR with VEVENTs holding UID,
DTSTAMP, DTSTART and SUMMARY (plus URL, and TRANSP so a deadline does not block busy time).
Hearings are timed, in UTC; deadlines are whole days (``VALUE=DATE``). Lines end in CRLF and are
folded at 75 octets (s.3.1), never inside a UTF-8 character.

The SUMMARY holds the application's reference, what happens and the court, and nothing else:
an event is copied into calendar programs, phones and shared diaries beyond our control, so it
must never carry a protected person's or defendant's name or address.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from urllib.parse import urlsplit

from django.conf import settings
from django.urls import reverse

from .calendar import Event

CRLF = "\r\n"
MAX_OCTETS = 75


def escape_text(value: str) -> str:
    """A TEXT value (s.3.3.11): backslash, semicolon, comma and newline escaped."""
    return (
        value.replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
        .replace("\r", "\\n")
    )


def fold(line: str) -> str:
    """Split a content line into lines of at most 75 octets, each continuation starting with a
    space (s.3.1). Counts UTF-8 octets and never splits a character."""
    lines: list[str] = []
    current, size = "", 0
    for char in line:
        octets = len(char.encode())
        if size + octets > MAX_OCTETS:
            lines.append(current)
            current, size = " ", 1
        current += char
        size += octets
    lines.append(current)
    return CRLF.join(lines)


def _utc(moment: datetime.datetime) -> str:
    return moment.astimezone(datetime.UTC).strftime("%Y%m%dT%H%M%SZ")


def _event_lines(event: Event, *, stamp: str, domain: str) -> list[str]:
    url = settings.SITE_URL + reverse("spo:application_detail", args=[event.application_id])
    lines = [
        "BEGIN:VEVENT",
        f"UID:{event.uid_part}@{domain}",
        f"DTSTAMP:{stamp}",
    ]
    if event.starts_at is not None:
        lines.append(f"DTSTART:{_utc(event.starts_at)}")
    else:
        # A DATE with no DTEND lasts the whole day (s.3.6.1).
        lines += [f"DTSTART;VALUE=DATE:{event.on:%Y%m%d}", "TRANSP:TRANSPARENT"]
    lines += [f"SUMMARY:{escape_text(event.summary)}", f"URL:{url}", "END:VEVENT"]
    return lines


def write_calendar(
    events: Iterable[Event], *, name: str, now: datetime.datetime | None = None
) -> str:
    """The iCalendar text for ``events``, ready to serve as ``text/calendar``."""
    stamp = _utc(now or datetime.datetime.now(datetime.UTC))
    domain = urlsplit(settings.SITE_URL).hostname or "localhost"
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Stalking Clinic//Protection orders calendar//EN",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{escape_text(name)}",
    ]
    for event in events:
        lines += _event_lines(event, stamp=stamp, domain=domain)
    lines.append("END:VCALENDAR")
    return "".join(fold(line) + CRLF for line in lines)
