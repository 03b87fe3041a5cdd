"""Reads of the programme of sessions: places left and the waiting list, the programme's list
and filters, a session's page, its register, and what cancelling it would affect."""

from __future__ import annotations

import datetime

from django.db.models import Count, F, Q, QuerySet
from django.utils import timezone

from ..access import (
    bookings_visible_to,
    may_change_booking,
    sessions_visible_to,
    trainees_visible_to,
)
from ..models import Booking, Session


def with_places(sessions: QuerySet[Session]) -> QuerySet[Session]:
    """Annotate each session with ``places_taken``, ``places_left`` and ``waiting_count``, in the
    same query (no query per row on a list of sessions)."""
    return sessions.annotate(
        places_taken=Count("bookings", filter=Q(bookings__status__in=Booking.HOLDS_PLACE)),
        waiting_count=Count("bookings", filter=Q(bookings__status=Booking.Status.WAITING)),
    ).annotate(places_left=F("capacity") - F("places_taken"))


def places_taken(session: Session) -> int:
    return session.bookings.filter(status__in=Booking.HOLDS_PLACE).count()


def programme(user, filters: dict, *, now: datetime.datetime) -> QuerySet[Session]:
    """The sessions the user sees, with their places, as the programme's ``filters`` (the valid
    ones of ``SessionFilterForm``) choose: upcoming soonest first, or (``when`` "past") past
    sessions latest first."""
    rows = with_places(sessions_visible_to(user).select_related("course", "trainer"))
    if filters.get("when") == "past":
        rows = rows.filter(starts_at__lt=now).order_by("-starts_at", "-id")
    else:
        rows = rows.filter(starts_at__gte=now).order_by("starts_at", "id")
    if filters.get("course"):
        rows = rows.filter(course=filters["course"])
    if filters.get("month"):
        year, month = (int(part) for part in filters["month"].split("-"))
        rows = rows.filter(starts_at__year=year, starts_at__month=month)
    if filters.get("mode") == "online":
        rows = rows.exclude(online_link="")
    elif filters.get("mode") == "in_person":
        rows = rows.exclude(venue="")
    if filters.get("free_places"):
        rows = rows.filter(status=Session.Status.SCHEDULED, places_left__gt=0)
    return rows


def session_page(user, session: Session) -> dict:
    """A session's page: the session with its places, and the bookings the user may see, held
    places (``booked``) apart from the waiting list (``waiting``), each marked ``linkable`` (the
    user may open the trainee's record) and ``cancellable`` (by the user, now)."""
    session = with_places(sessions_visible_to(user).select_related("course", "trainer")).get(
        pk=session.pk
    )
    visible = list(
        bookings_visible_to(user)
        .filter(session=session)
        .exclude(status=Booking.Status.CANCELLED)
        .select_related("trainee__team__area", "trainee__job_role")
        .order_by("joined_at", "id")
    )
    upcoming = session.starts_at > timezone.now()
    scheduled = session.status == Session.Status.SCHEDULED
    linkable = set(
        trainees_visible_to(user)
        .filter(pk__in={b.trainee_id for b in visible})
        .values_list("pk", flat=True)
    )
    for booking in visible:
        booking.session = session
        booking.linkable = booking.trainee_id in linkable
        booking.cancellable = scheduled and upcoming and may_change_booking(user, booking)
    return {
        "session": session,
        "booked": [b for b in visible if b.status in Booking.HOLDS_PLACE],
        "waiting": [b for b in visible if b.status == Booking.Status.WAITING],
        "upcoming": upcoming,
        "scheduled": scheduled,
    }


def attendance_register(session: Session) -> dict:
    """The register of a session: everyone holding a place, by name, and whether attendance can
    be recorded yet (``started``, not ``cancelled``)."""
    return {
        "bookings": list(
            session.bookings.filter(status__in=Booking.HOLDS_PLACE)
            .select_related("trainee__team__area")
            .order_by("trainee__name", "pk")
        ),
        "started": session.starts_at <= timezone.now(),
        "cancelled": session.status == Session.Status.CANCELLED,
    }


def bookings_to_cancel(session: Session) -> dict:
    """How many people cancelling ``session`` would take off it: ``booked_count`` and
    ``waiting_count``."""
    statuses = list(
        session.bookings.filter(
            status__in=[Booking.Status.BOOKED, Booking.Status.WAITING]
        ).values_list("status", flat=True)
    )
    return {
        "booked_count": statuses.count(Booking.Status.BOOKED),
        "waiting_count": statuses.count(Booking.Status.WAITING),
    }
