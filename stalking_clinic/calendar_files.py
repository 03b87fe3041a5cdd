"""Calendar files (iCalendar, RFC 5545) for people's own calendar programs, written by the
``icalendar`` library (escaping, line folding at 75 octets, UTC times and whole days).

What goes into an event is copied into calendar programs, phones and shared diaries beyond the
clinic's control: callers put references, what happens, places and links in it, never a name or
address of a victim, suspect or trainee.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import urlsplit

import icalendar
from django.conf import settings

CONTENT_TYPE = "text/calendar; charset=utf-8"


@dataclass(frozen=True)
class CalendarEvent:
    """One event: timed (``starts_at``, optionally ``ends_at``) or a whole day (``on``)."""

    uid: str  # unique and stable for the thing it shows, so a newer file updates the event
    summary: str
    starts_at: datetime.datetime | None = None
    ends_at: datetime.datetime | None = None
    on: datetime.date | None = None
    location: str = ""
    url: str = ""
    # Moves on each time the thing changes, so calendar programs take the newer copy.
    sequence: int | None = None


def _utc(moment: datetime.datetime) -> datetime.datetime:
    return moment.astimezone(datetime.UTC)


def calendar_file(
    events: Iterable[CalendarEvent],
    *,
    product: str,
    name: str = "",
    now: datetime.datetime | None = None,
) -> bytes:
    """The calendar holding ``events``, ready to serve as ``CONTENT_TYPE``. ``product`` names
    what made it (PRODID); ``name`` is the calendar's name in a subscribing program."""
    stamp = _utc(now or datetime.datetime.now(datetime.UTC))
    domain = urlsplit(settings.SITE_URL).hostname or "localhost"
    calendar = icalendar.Calendar()
    calendar.add("prodid", f"-//Stalking Clinic//{product}//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    if name:
        calendar.add("x-wr-calname", name)
    for event in events:
        entry = icalendar.Event()
        entry.add("uid", f"{event.uid}@{domain}")
        if event.sequence is not None:
            entry.add("sequence", event.sequence)
        entry.add("dtstamp", stamp)
        if event.starts_at is not None:
            entry.add("dtstart", _utc(event.starts_at))
            if event.ends_at is not None:
                entry.add("dtend", _utc(event.ends_at))
        else:
            # A date with no end lasts the whole day (s.3.6.1), and blocks no busy time.
            entry.add("dtstart", event.on)
            entry.add("transp", "TRANSPARENT")
        entry.add("summary", event.summary)
        if event.location:
            entry.add("location", event.location)
        if event.url:
            entry.add("url", event.url)
        calendar.add_component(entry)
    return calendar.to_ical()
