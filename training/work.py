"""What the training area puts on people's home pages (``stalking_clinic.home.work``):

- a supervisor: the officers in their team who need booking (untrained, or due or overdue a
  refresh, on a mandatory course);
- the coordinator and tactical lead: sessions held in the last 30 days whose attendance is not
  yet recorded (urgent once a week old); a trainer: the same for the sessions they train;
- an officer: the sessions they are booked on.

Registered by importing this module once the apps are ready (``TrainingConfig.ready``). The
counts come from the readers of the training front page (``training/selectors/home.py``).
"""

from __future__ import annotations

import datetime

from django.db.models import Count, Q
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from stalking_clinic.access import Perm, can
from stalking_clinic.home.work import WorkItem, work_provider

from .access import manages_training
from .models import Booking, Session, Trainee
from .selectors.home import awaiting_attendance, needing_booking

# A session whose attendance is still not recorded after this long is urgent.
URGENT_DAYS = 7


def _url(name: str) -> str | None:
    try:
        return reverse(name)
    except NoReverseMatch:  # a page another part of the area has not added yet
        return None


def team_members(user) -> list[Trainee]:
    """The active officers a supervisor supervises (one query: the supervisor is matched on
    the user's collar number in the same query). Nobody for anyone else."""
    number = getattr(user, "collar_number", "")
    if not number or not can(user, Perm.TRAINING_BOOK):
        return []
    return list(Trainee.objects.filter(supervisor__collar_number=number, active=True))


@work_provider
def team_work(user):
    """A supervisor's team members needing booking: five queries (one when the team is
    empty)."""
    if not can(user, Perm.TRAINING_BOOK) or not getattr(user, "collar_number", ""):
        return []
    url = _url("training:my_team")
    if url is None:
        return []
    count = needing_booking(team_members(user))
    return [
        WorkItem(
            "Officers in your team needing training",
            count,
            url,
            hint="Not trained, or due a refresh, on a mandatory course.",
        )
    ]


@work_provider
def attendance_work(user):
    """Sessions waiting for their attendance to be recorded: one query."""
    if not can(user, Perm.TRAINING):
        return []
    url = _url("training:sessions")
    if url is None:
        return []
    now = timezone.now()
    counts = awaiting_attendance(user, now=now).aggregate(
        total=Count("pk"),
        old=Count("pk", filter=Q(starts_at__lt=now - datetime.timedelta(days=URGENT_DAYS))),
    )
    label = (
        "Training sessions awaiting attendance"
        if manages_training(user)
        else "Your training sessions awaiting attendance"
    )
    return [
        WorkItem(
            label,
            counts["total"],
            url,
            urgent=bool(counts["old"]),
            hint=f"{counts['old']} more than a week old." if counts["old"] else "",
        )
    ]


@work_provider
def bookings_work(user):
    """The sessions an officer is booked on (and waiting lists they are on): one query."""
    number = getattr(user, "collar_number", "")
    if not number or not can(user, Perm.TRAINING):
        return []
    url = _url("training:my_training")
    if url is None:
        return []
    counts = Booking.objects.filter(
        trainee__collar_number=number,
        session__status=Session.Status.SCHEDULED,
        session__starts_at__gte=timezone.now(),
    ).aggregate(
        booked=Count("pk", filter=Q(status=Booking.Status.BOOKED)),
        waiting=Count("pk", filter=Q(status=Booking.Status.WAITING)),
    )
    waiting = counts["waiting"]
    return [
        WorkItem(
            "Training sessions booked",
            counts["booked"],
            url,
            hint=f"Also on {waiting} waiting list{'s' if waiting != 1 else ''}." if waiting else "",
        )
    ]
