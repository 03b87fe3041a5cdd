"""What meetings put on a case's timeline: in the "Timeline and notes" section, drop-in advice
about the case and its actions (agreed, completed, and missed); in "Clinic discussions", its
discussions at meetings. A partner agency sees each entry only when its section is shared with it.

Each source is one query, however many meetings and actions the case has.
"""

from __future__ import annotations

import datetime

from django.utils import dateformat, timezone
from django.utils.text import Truncator

from referrals.models import Share
from referrals.timeline import TimelineEntry, timeline_source

from .models import Action, AgendaItem, DropInAdvice

TIMELINE = Share.Section.TIMELINE
DISCUSSIONS = Share.Section.DISCUSSIONS


def _day(day: datetime.date) -> str:
    return dateformat.format(day, "j F Y")


def _start_of(day: datetime.date) -> datetime.datetime:
    """An action is missed on a calendar day: place it at that day's start, in local time."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


# The discussion's decisions are the clinic's discussion: shown with "clinic discussions".
@timeline_source(DISCUSSIONS)
def discussions(case):
    items = AgendaItem.objects.filter(case=case, discussed_at__isnull=False).select_related(
        "meeting", "discussed_by"
    )
    for item in items:
        meeting = item.meeting
        lines = [f"Risk agreed: {item.get_risk_agreed_display()}" if item.risk_agreed else ""]
        if item.consider_spo:
            lines.append("Consider a Stalking Protection Order")
        yield TimelineEntry(
            item.discussed_at,
            "Meeting discussion",
            f"Discussed at {meeting.get_kind_display().lower()} {meeting.reference}",
            by=item.discussed_by.display_name if item.discussed_by_id else "",
            detail=Truncator(item.decisions).chars(300),
            lines=[line for line in lines if line],
        )


@timeline_source(TIMELINE)
def drop_in_advice(case):
    advice = DropInAdvice.objects.filter(case=case).select_related("meeting", "recorded_by")
    for entry in advice:
        yield TimelineEntry(
            entry.recorded_at,
            "Drop-in advice",
            f"Advice given at drop-in session {entry.meeting.reference}",
            by=entry.recorded_by.display_name,
            detail=Truncator(entry.advice).chars(300),
        )


@timeline_source(TIMELINE)
def actions(case):
    """Each action when agreed; when completed; and, while still open past its due date, that it
    was missed (from the day after it was due)."""
    today = timezone.localdate()
    for action in Action.objects.filter(case=case).select_related(
        "owner_agency", "created_by", "agenda_item__meeting"
    ):
        ref, agency = action.reference, action.owner_agency.name
        agreed = f" at {action.agenda_item.meeting.reference}" if action.agenda_item_id else ""
        yield TimelineEntry(
            action.created_at,
            "Action",
            f"Action {ref} agreed{agreed} for {agency}",
            by=action.created_by.display_name,
            detail=Truncator(action.description).chars(200),
            lines=[f"Due {_day(action.due_on)}"],
        )
        if action.status == Action.Status.DONE and action.completed_at:
            yield TimelineEntry(
                action.completed_at,
                "Action",
                f"Action {ref} completed by {agency}",
                detail=Truncator(action.description).chars(200),
            )
        elif action.is_overdue(today):
            since = action.due_on + datetime.timedelta(days=1)
            yield TimelineEntry(
                _start_of(since),
                "Action missed",
                f"Action {ref} overdue since {_day(since)}",
                detail=Truncator(action.description).chars(200),
                lines=[f"Was due {_day(action.due_on)}", f"Owner: {agency}"],
            )
