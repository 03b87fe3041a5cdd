"""Reads of meetings: the list (upcoming and past, filtered) and a meeting's page (its attendees,
and the agenda, actions and advice the viewer may see)."""

from __future__ import annotations

from django.db.models import Count, Prefetch, Q
from django.utils import timezone

from referrals.access import case_sections_for_cases, cases_visible_to
from stalking_clinic.access import Perm, can

from ..access import (
    actions_visible_to,
    advice_visible_to,
    agenda_visible_to,
    meetings_visible_to,
    opens_minutes,
    sees_cases_of,
)
from ..models import Meeting
from .minutes import shows_sections_of

LIST_LIMIT = 100


def meetings_listed(user, *, kind: str = "", when: str = "") -> dict:
    """The meetings ``user`` may see, of ``kind`` (any when empty): the ``upcoming`` soonest
    first and the ``past`` latest first, each up to ``limit``; ``when`` ("upcoming" or "past")
    leaves the other list empty."""
    # Only the cases the user may see are counted: a partner is not told how many cases not
    # shared with it are on an agenda.
    counted = (
        None
        if can(user, Perm.MEETINGS_MANAGE)
        else Q(agenda__case__in=cases_visible_to(user).values("pk"))
    )
    meetings = (
        meetings_visible_to(user)
        .select_related("chair")
        .annotate(case_count=Count("agenda", distinct=True, filter=counted))
    )
    if kind:
        meetings = meetings.filter(kind=kind)
    now = timezone.now()
    upcoming = past = []
    if when != "past":
        upcoming = list(
            meetings.filter(starts_at__gte=now).order_by("starts_at", "id")[:LIST_LIMIT]
        )
    if when != "upcoming":
        past = list(meetings.filter(starts_at__lt=now).order_by("-starts_at", "-id")[:LIST_LIMIT])
    return {"when": when, "upcoming": upcoming, "past": past, "limit": LIST_LIMIT}


def meeting_page(user, meeting: Meeting) -> dict:
    """What ``user`` sees on ``meeting``'s page: everyone invited (and the user's own
    invitation), and, once their confidentiality agreement is recorded, the agenda with the
    actions they may see (each marked ``overdue``) and a drop-in session's advice, only on the
    cases they may see."""
    attendees = list(
        meeting.attendees.select_related("user", "agency", "confidentiality_recorded_by")
    )
    agenda = list(
        agenda_visible_to(user, meeting)
        .select_related("case", "discussed_by")
        .prefetch_related(
            Prefetch(
                "actions",
                queryset=actions_visible_to(user).select_related("owner_agency", "owner"),
                to_attr="visible_actions",
            )
        )
        .order_by("position", "id")
    )
    is_drop_in = meeting.kind == Meeting.Kind.DROP_IN
    advice = []
    if is_drop_in:
        advice = list(advice_visible_to(user, meeting).select_related("officer", "case"))
    today = timezone.localdate()
    sections = case_sections_for_cases(user, {item.case_id for item in agenda})
    for item in agenda:
        shows_sections_of(item, sections.get(item.case_id, frozenset()))
        for action in item.visible_actions:
            action.overdue = action.is_overdue(today)
    sees_cases = sees_cases_of(user, meeting)
    return {
        "meeting": meeting,
        "sees_cases": sees_cases,
        "opens_minutes": sees_cases and opens_minutes(user),
        "my_attendance": next((a for a in attendees if a.user_id == user.pk), None),
        "attendees": attendees,
        "agenda": agenda,
        "advice": advice,
        "is_drop_in": is_drop_in,
    }
