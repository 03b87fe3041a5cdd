"""Reads of a meeting's minutes: what a copy holds (the full minutes, or a partner agency's copy
holding only the cases shared with it, ``referrals.Share``), and which partner agencies may be
sent a copy. Who may produce which copy is ``meetings.access.minutes_copies_for``."""

from __future__ import annotations

from django.db.models import Prefetch
from django.utils import timezone

from referrals.access import ALL_SECTIONS
from referrals.models import Share
from stalking_clinic.accounts.models import Agency

from ..models import Action, AgendaItem, Attendee, DropInAdvice, Meeting

FULL_COPY_RECIPIENT = "Clinic (full minutes)"


def shows_sections_of(item, sections) -> None:
    """Mark what of ``item`` (an agenda item) a reader who sees ``sections`` of its case is shown:
    the discussion (behaviours, motivation, history, mental health, what agencies know,
    decisions) only with "clinic discussions" shared; the risk, with the summary."""
    item.shows_discussion = Share.Section.DISCUSSIONS in sections
    item.shows_risk = Share.Section.SUMMARY in sections


def minutes_context(meeting: Meeting, *, agency: Agency | None = None) -> dict:
    """What the minutes say. ``agency``: that partner agency's copy, holding only the agenda items,
    their actions, and the drop-in advice about cases shared with it, and of each case's
    discussion only what the case's share allows ("clinic discussions" for the discussion
    itself, the summary for the risk agreed); None: the full minutes.

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
    sections: dict[int, frozenset[str]] = {}
    if agency is not None:
        shared = Share.objects.filter(agency=agency).values("case_id")
        items = items.filter(case_id__in=shared)
        # Advice about no case in particular is not about a case shared with the agency either.
        advice = advice.filter(case_id__in=shared)
        sections = {
            share.case_id: frozenset(share.sections)
            for share in Share.objects.filter(
                agency=agency, case__agenda_items__meeting=meeting
            ).only("case_id", "sections")
        }
    items = list(items.order_by("position", "id"))
    for item in items:
        # Each case's discussion only as far as its share allows (``shows_sections_of``); an
        # agency whose copy leaves the discussion out is told only of its own actions.
        shows_sections_of(item, ALL_SECTIONS if agency is None else sections[item.case_id])
        item.listed_actions = [
            action
            for action in item.actions.all()
            if item.shows_discussion or action.owner_agency_id == agency.pk
        ]
    return {
        "meeting": meeting,
        "agency": agency,
        "recipient": agency.name if agency else FULL_COPY_RECIPIENT,
        "attendees": [a for a in attendees if a.attendance != Attendee.Attendance.APOLOGIES],
        "apologies": [a for a in attendees if a.attendance == Attendee.Attendance.APOLOGIES],
        "items": items,
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
