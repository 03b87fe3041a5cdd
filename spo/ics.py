"""The protection orders calendar (``selectors.calendar``) as a calendar file
(``stalking_clinic.calendar_files``).

Hearings are timed; deadlines are whole days that block no busy time. Each event's summary holds
the application's reference, what happens and the court, and nothing else: never a protected
person's or defendant's name or address. Its link is the application's page, which asks the
reader to sign in.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.conf import settings
from django.urls import reverse

from stalking_clinic.calendar_files import CalendarEvent, calendar_file

from .selectors.calendar import Event


def write_calendar(
    events: Iterable[Event], *, name: str, now: datetime.datetime | None = None
) -> bytes:
    """The calendar file of ``events``."""
    return calendar_file(
        (
            CalendarEvent(
                uid=event.uid_part,
                summary=event.summary,
                starts_at=event.starts_at,
                on=event.on,
                url=settings.SITE_URL
                + reverse("spo:application_detail", args=[event.application_id]),
            )
            for event in events
        ),
        product="Protection orders calendar",
        name=name,
        now=now,
    )
