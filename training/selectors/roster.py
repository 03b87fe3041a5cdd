"""Reads of the officer list: the list with its filters and search, one officer's training
record, and a supervisor's team with where each member stands on each mandatory course."""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.utils import timezone

from ..access import bookable_trainees, team_of, trainees_visible_to
from ..models import Booking, Course, OfficerImport, Session, Trainee, normalise_collar_number
from .compliance import (
    Standing,
    is_mandatory_for,
    mandatory_courses,
    needs_training,
    standings_for,
)

RECENT_IMPORTS = 10


def recent_imports() -> QuerySet[OfficerImport]:
    return OfficerImport.objects.select_related("uploaded_by")[:RECENT_IMPORTS]


def officer_list(user, filters: dict, search: str, courses: list[Course]) -> QuerySet[Trainee]:
    """The officers the user sees, by name, as ``filters`` (the valid ones of
    ``OfficerFilterForm``) and ``search`` (part of a name or collar number) choose: those still
    on the list unless ``status`` says otherwise; ``needs_training``: untrained, or due a
    refresh, on one of ``courses`` (from ``mandatory_courses()``)."""
    queryset = trainees_visible_to(user).select_related("team__area", "job_role", "supervisor")
    if filters.get("area"):
        queryset = queryset.filter(team__area=filters["area"])
    if filters.get("team"):
        queryset = queryset.filter(team=filters["team"])
    if filters.get("role"):
        queryset = queryset.filter(job_role=filters["role"])
    status = filters.get("status") or "active"
    if status != "all":
        queryset = queryset.filter(active=status == "active")
    if filters.get("needs_training"):
        if not courses:
            return queryset.none()
        queryset = queryset.filter(needs_training(courses, timezone.localdate()))
    if search:
        collar = normalise_collar_number(search)
        queryset = queryset.filter(
            Q(name__icontains=search.strip()) | Q(collar_number__icontains=collar)
        )
    return queryset.order_by("name", "collar_number")


def with_needs(officers: list[Trainee], courses: list[Course]) -> None:
    """Set on each officer (a page of the list) ``mandatory_count``, how many of ``courses`` are
    mandatory for them, and ``needing``, their standings that need a booking."""
    standings = standings_for(officers, courses=courses)
    for trainee in officers:
        mine = standings.get(trainee.pk, [])
        trainee.mandatory_count = len(mine)
        trainee.needing = [standing for standing in mine if standing.standing.needs_booking]


def officer_record(user, trainee: Trainee) -> dict:
    """One officer's page: each mandatory course's standing with their next booking on it and
    whether the user may book them onto it (``rows``), and all their ``bookings``."""
    standings = standings_for([trainee], courses=mandatory_courses())[trainee.pk]
    bookings = list(
        trainee.bookings.select_related("session__course").order_by("-session__starts_at", "-id")
    )
    now = timezone.now()
    upcoming = {}
    for booking in reversed(bookings):  # soonest first
        if (
            booking.status in (Booking.Status.BOOKED, Booking.Status.WAITING)
            and booking.session.status == Session.Status.SCHEDULED
            and booking.session.starts_at >= now
        ):
            upcoming.setdefault(booking.session.course_id, booking)
    may_book = trainee.active and bookable_trainees(user).filter(pk=trainee.pk).exists()
    rows = [
        {
            "standing": standing,
            "booking": upcoming.get(standing.course.pk),
            "book": may_book
            and standing.standing.needs_booking
            and standing.course.pk not in upcoming,
        }
        for standing in standings
    ]
    return {"rows": rows, "bookings": bookings}


def _upcoming_bookings(user) -> dict[tuple[int, int], Booking]:
    """The team's next booking (or place on a waiting list) on each course, by (trainee pk,
    course pk)."""
    upcoming = {}
    for booking in (
        Booking.objects.filter(
            trainee__in=team_of(user),
            status__in=[Booking.Status.BOOKED, Booking.Status.WAITING],
            session__status=Session.Status.SCHEDULED,
            session__starts_at__gte=timezone.now(),
        )
        .select_related("session")
        .order_by("session__starts_at", "joined_at")
    ):
        upcoming.setdefault((booking.trainee_id, booking.session.course_id), booking)
    return upcoming


def team_page(user, *, only_needing: bool) -> dict:
    """A supervisor's team: a column for each course mandatory for someone in it (``courses``),
    a row per member (those needing a booking first; only them with ``only_needing``) with a
    cell per course, and per course how many are untrained, due a refresh and booked
    (``summary``, the courses with someone untrained or due)."""
    team = list(team_of(user).select_related("team__area", "job_role"))
    courses = mandatory_courses() if team else []
    # Only the courses mandatory for someone in the team make columns.
    courses = [course for course in courses if any(is_mandatory_for(course, t) for t in team)]
    standings = standings_for(team, courses=courses)
    upcoming = _upcoming_bookings(user)
    totals = {course.pk: {"untrained": 0, "refresh": 0, "booked": 0} for course in courses}
    rows = []
    for trainee in team:
        by_course = {standing.course.pk: standing for standing in standings[trainee.pk]}
        cells = []
        for course in courses:
            standing = by_course.get(course.pk)
            booking = upcoming.get((trainee.pk, course.pk))
            if standing is not None:
                count = totals[course.pk]
                if standing.standing is Standing.UNTRAINED:
                    count["untrained"] += 1
                elif standing.standing.needs_booking:
                    count["refresh"] += 1
                if booking is not None:
                    count["booked"] += 1
            cells.append(
                {
                    "course": course,
                    "standing": standing,
                    "booking": booking,
                    "needs_booking": standing is not None
                    and standing.standing.needs_booking
                    and booking is None,
                }
            )
        needing = sum(cell["needs_booking"] for cell in cells)
        rows.append({"trainee": trainee, "cells": cells, "needing": needing})
    needing_total = sum(1 for row in rows if row["needing"])
    rows.sort(key=lambda row: (not row["needing"], row["trainee"].name))
    if only_needing:
        rows = [row for row in rows if row["needing"]]
    return {
        "team_size": len(team),
        "courses": courses,
        "rows": rows,
        "summary": [
            {"course": course, **totals[course.pk]}
            for course in courses
            if totals[course.pk]["untrained"] or totals[course.pk]["refresh"]
        ],
        "needing_total": needing_total,
    }
