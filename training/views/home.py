"""The training area's front page: where each user starts, different per role.

- an officer or champion (a user whose collar number is on the officer list): their next
  bookings;
- a supervisor: how many of their team need booking;
- the coordinator and tactical lead: this week's sessions and their free places, sessions held
  whose attendance is not recorded, and the pages that run the programme; a trainer: their own
  sessions awaiting attendance;
- clinic staff: their CPD log.

Everyone in the training area (``Perm.TRAINING``) may use it. A fixed number of queries.
"""

from __future__ import annotations

import datetime

from django.shortcuts import render
from django.urls import path
from django.utils import timezone

from stalking_clinic.access import Perm, can, require

from ..access import manages_training, team_of, trainee_of
from ..models import Booking, Session
from ..selectors.sessions import with_places
from ..work import awaiting_attendance, needing_booking

NEXT_BOOKINGS = 5
AWAITING_LISTED = 10


@require(Perm.TRAINING)
def index(request):
    user = request.user
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
    return render(request, "training/index.html", context)


urlpatterns = [path("", index, name="index")]
