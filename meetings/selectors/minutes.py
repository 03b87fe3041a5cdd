"""Reads of a meeting's minutes: what a copy holds (the full minutes, or a partner agency's copy
holding only the cases shared with it, ``referrals.Share``), and which partner agencies may be
sent a copy. Who may produce which copy is ``meetings.access.minutes_copies_for``."""

from __future__ import annotations

from django.db.models import Prefetch
from django.utils import timezone

from referrals.models import Share
from stalking_clinic.accounts.models import Agency

from ..models import Action, AgendaItem, Attendee, DropInAdvice, Meeting

FULL_COPY_RECIPIENT = "Clinic (full minutes)"


def minutes_context(meeting: Meeting, *, agency: Agency | None = None) -> dict:
    """What the minutes say. ``agency``: that partner agency's copy, holding only the agenda items,
    their actions, and the drop-in advice about cases shared with it; None: the full minutes.

    A fixed number of queries, however long the meeting."""
    attendees = list(Attendee.objects.filter(meeting=meeting).select_related("user", "agency"))
    items = (
        AgendaItem.objects.filter(meeting=meeting)
        .select_related("case")
        .prefetch_related(
            Prefetch(
                "actions",
                queryset=Action.objects.select_related("owner_agency").order_by("due_on", "id"),
            )
        )
    )
    advice = DropInAdvice.objects.filter(meeting=meeting).select_related("officer", "case")
    if agency is not None:
        shared = Share.objects.filter(agency=agency).values("case_id")
        items = items.filter(case_id__in=shared)
        # Advice about no case in particular is not about a case shared with the agency either.
        advice = advice.filter(case_id__in=shared)
    return {
        "meeting": meeting,
        "agency": agency,
        "recipient": agency.name if agency else FULL_COPY_RECIPIENT,
        "attendees": [a for a in attendees if a.attendance != Attendee.Attendance.APOLOGIES],
        "apologies": [a for a in attendees if a.attendance == Attendee.Attendance.APOLOGIES],
        "items": list(items.order_by("position", "id")),
        "advice": list(advice),
        "generated_at": timezone.now(),
    }


def copy_agencies(meeting: Meeting) -> list[Agency]:
    """The partner agencies whose people are invited: each may be sent its own copy."""
    return list(
        Agency.objects.filter(
            pk__in=Attendee.objects.filter(meeting=meeting, agency__isnull=False).values(
                "agency_id"
            ),
            is_partner=True,
        ).order_by("name")
    )
