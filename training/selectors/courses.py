"""Reads of the course catalogue: the list of courses and a course's page."""

from __future__ import annotations

import datetime

from django.db.models import Count, Prefetch, Q
from django.utils import timezone

from ..access import courses_visible_to, manages_training, sessions_visible_to
from ..models import Booking, Course, Session, Team
from .sessions import with_places

# A course's page lists the sessions held in this many past days.
PAST_SESSIONS_DAYS = 365


def catalogue(user) -> list[Course]:
    """The courses the user sees, running ones first, each with ``upcoming_sessions`` and who it
    is mandatory for; only the courses still run, for anyone but the managers."""
    rows = (
        courses_visible_to(user)
        .annotate(
            upcoming_sessions=Count(
                "sessions",
                filter=Q(
                    sessions__status=Session.Status.SCHEDULED,
                    sessions__starts_at__gte=timezone.now(),
                ),
            )
        )
        .prefetch_related(
            "mandatory_roles",
            Prefetch("mandatory_teams", queryset=Team.objects.select_related("area")),
        )
        .order_by("-active", "title")
    )
    if not manages_training(user):
        rows = rows.filter(active=True)
    return list(rows)


def course_page(user, course: Course) -> dict:
    """A course's page: who it is mandatory for, its upcoming sessions with their places, and
    the sessions of the last ``PAST_SESSIONS_DAYS`` days with how many ``attended``."""
    now = timezone.now()
    sessions = sessions_visible_to(user).filter(course=course).select_related("trainer")
    upcoming = with_places(sessions).filter(starts_at__gte=now, status=Session.Status.SCHEDULED)
    past = (
        sessions.filter(
            starts_at__lt=now,
            starts_at__gte=now - datetime.timedelta(days=PAST_SESSIONS_DAYS),
        )
        .annotate(attended=Count("bookings", filter=Q(bookings__status=Booking.Status.ATTENDED)))
        .order_by("-starts_at", "-id")
    )
    return {
        "roles": list(course.mandatory_roles.order_by("name")),
        "teams": list(course.mandatory_teams.select_related("area").order_by("area__name", "name")),
        "upcoming": list(upcoming.order_by("starts_at", "id")),
        "past": list(past),
    }
