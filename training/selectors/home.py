"""Reads of the training area's front page, where each user starts (different per role); the
counts of sessions awaiting attendance and of officers needing booking are also what the area
puts on people's home pages (``training/work.py``)."""

from __future__ import annotations

import datetime

from django.db.models import Exists, OuterRef, QuerySet
from django.utils import timezone

from stalking_clinic.access import Perm, can

from ..access import manages_training, team_of, trainee_of
from ..models import Booking, Session, Trainee
from .compliance import standings_for
from .sessions import with_places

# Attendance is chased for sessions this recent; older ones are the compliance page's business.
AWAITING_DAYS = 30
NEXT_BOOKINGS = 5
AWAITING_LISTED = 10


def needing_booking(members: list[Trainee]) -> int:
    """How many of ``members`` are untrained, or due or overdue a refresh, on any mandatory
    course (``standings_for``: four queries, none when there is nobody)."""
    if not members:
        return 0
    standings = standings_for(members)
    return sum(
        1 for member in members if any(s.standing.needs_booking for s in standings[member.pk])
    )


def awaiting_attendance(user, *, now: datetime.datetime | None = None) -> QuerySet[Session]:
    """Scheduled sessions started in the last ``AWAITING_DAYS`` days with someone still booked
    (attendance not recorded): all of them for the managers, a trainer's own for anyone else."""
    now = now or timezone.now()
    sessions = Session.objects.filter(
        status=Session.Status.SCHEDULED,
        starts_at__lte=now,
        starts_at__gte=now - datetime.timedelta(days=AWAITING_DAYS),
    ).filter(Exists(Booking.objects.filter(session=OuterRef("pk"), status=Booking.Status.BOOKED)))
    if not manages_training(user):
        sessions = sessions.filter(trainer=user)
    return sessions


def front_page(user) -> dict:
    """The front page's context, a fixed number of queries:

    - an officer or champion (a user whose collar number is on the officer list): their next
      bookings (``next_bookings``); a supervisor also how many of their team need booking
      (``team_size``, ``team_needing``);
    - the coordinator and tactical lead: this week's sessions with their free places
      (``this_week``);
    - everyone: the sessions they (or, for the managers, anyone) held whose attendance is not
      recorded (``awaiting``, and ``more_awaiting`` past the first ``AWAITING_LISTED``);
    - what the user may do (``manager``, ``keeps_cpd``, ``books``, ``sees_compliance``).
    """
    now = timezone.now()
    me = trainee_of(user)
    manager = manages_training(user)
    context = {
        "me": me,
        "manager": manager,
        "keeps_cpd": can(user, Perm.CPD),
        "books": can(user, Perm.TRAINING_BOOK),
        "sees_compliance": can(user, Perm.TRAINING_COMPLIANCE),
    }
    if me is not None:
        context["next_bookings"] = list(
            Booking.objects.filter(
                trainee=me,
                status__in=[Booking.Status.BOOKED, Booking.Status.WAITING],
                session__status=Session.Status.SCHEDULED,
                session__starts_at__gte=now,
            )
            .select_related("session__course")
            .order_by("session__starts_at", "pk")[:NEXT_BOOKINGS]
        )
        if context["books"]:
            team = list(team_of(user))
            context["team_size"] = len(team)
            context["team_needing"] = needing_booking(team)
    if manager:
        week_end = now + datetime.timedelta(days=7)
        context["this_week"] = list(
            with_places(
                Session.objects.filter(
                    status=Session.Status.SCHEDULED, starts_at__gte=now, starts_at__lt=week_end
                )
            )
            .select_related("course", "trainer")
            .order_by("starts_at", "pk")
        )
    awaiting = list(
        awaiting_attendance(user, now=now)
        .select_related("course", "trainer")
        .order_by("starts_at", "pk")[: AWAITING_LISTED + 1]
    )
    context["awaiting"] = awaiting[:AWAITING_LISTED]
    context["more_awaiting"] = len(awaiting) > AWAITING_LISTED
    return context
