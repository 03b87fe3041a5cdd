"""Who is trained: each trainee's standing on each course that is mandatory for them.

A course is mandatory for a trainee whose job role is among the course's ``mandatory_roles`` or
whose team is among its ``mandatory_teams``. Attending a session of the course (an ATTENDED
booking) completes it; a course with ``refresh_months`` must be taken again that many months
after the last attendance. The standing is one of:

- ``completed``: attended, and any refresh is more than TRAINING_REFRESH_WARNING_DAYS away;
- ``due_soon``: attended, refresh due within TRAINING_REFRESH_WARNING_DAYS (still compliant);
- ``overdue``: attended, but the refresh date has passed (no longer compliant);
- ``untrained``: never attended.

Everything here runs a fixed number of queries however many trainees are asked about.
"""

from __future__ import annotations

import calendar
import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Exists, Max, OuterRef, Q
from django.utils import timezone

from stalking_clinic.choices import TaggedChoices

from ..models import Booking, Course, Trainee


class Standing(TaggedChoices, tag_set="training_standing"):
    COMPLETED = "completed", "green", "Completed"
    DUE_SOON = "due_soon", "yellow", "Refresh due soon"
    OVERDUE = "overdue", "orange", "Refresh overdue"
    UNTRAINED = "untrained", "red", "Not trained"

    @property
    def compliant(self) -> bool:
        return self in (Standing.COMPLETED, Standing.DUE_SOON)

    @property
    def needs_booking(self) -> bool:
        """Untrained, or due (or overdue) a refresh: someone a supervisor should book."""
        return self is not Standing.COMPLETED


@dataclass(frozen=True)
class CourseStanding:
    course: Course
    standing: Standing
    last_attended: datetime.date | None = None
    refresh_due_on: datetime.date | None = None


def add_months(day: datetime.date, months: int) -> datetime.date:
    """``day`` plus ``months`` calendar months, on the last day of a shorter month
    (31 August + 6 months = 28 or 29 February)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def refresh_due_on(course: Course, attended_on: datetime.date) -> datetime.date | None:
    if course.refresh_months is None:
        return None
    return add_months(attended_on, course.refresh_months)


def standing_of(
    course: Course, attended_on: datetime.date | None, *, today: datetime.date
) -> CourseStanding:
    if attended_on is None:
        return CourseStanding(course, Standing.UNTRAINED)
    due = refresh_due_on(course, attended_on)
    if due is None:
        standing = Standing.COMPLETED
    elif due <= today:
        standing = Standing.OVERDUE
    elif (due - today).days <= settings.TRAINING_REFRESH_WARNING_DAYS:
        standing = Standing.DUE_SOON
    else:
        standing = Standing.COMPLETED
    return CourseStanding(course, standing, attended_on, due)


def mandatory_courses() -> list[Course]:
    """The active courses mandatory for someone, each with ``role_ids`` and ``team_ids`` sets
    (three queries)."""
    courses = list(
        Course.objects.filter(active=True)
        .prefetch_related("mandatory_roles", "mandatory_teams")
        .order_by("title")
    )
    for course in courses:
        course.role_ids = {role.pk for role in course.mandatory_roles.all()}
        course.team_ids = {team.pk for team in course.mandatory_teams.all()}
    return [course for course in courses if course.role_ids or course.team_ids]


def is_mandatory_for(course: Course, trainee: Trainee) -> bool:
    return trainee.job_role_id in course.role_ids or trainee.team_id in course.team_ids


def last_attended(
    trainee_ids: Iterable[int] | None, course_ids: Iterable[int]
) -> dict[tuple[int, int], datetime.date]:
    """The local date each (trainee, course) was last attended; one query. ``trainee_ids``
    None: every trainee."""
    attended = Booking.objects.filter(
        status=Booking.Status.ATTENDED, session__course_id__in=list(course_ids)
    )
    if trainee_ids is not None:
        attended = attended.filter(trainee_id__in=list(trainee_ids))
    rows = attended.values("trainee_id", "session__course_id").annotate(
        last=Max("session__starts_at")
    )
    return {
        (row["trainee_id"], row["session__course_id"]): timezone.localdate(row["last"])
        for row in rows
    }


def standings_for(
    trainees: Iterable[Trainee],
    *,
    courses: list[Course] | None = None,
    today: datetime.date | None = None,
) -> dict[int, list[CourseStanding]]:
    """For each trainee (by pk), their standing on each course mandatory for them, in course
    title order. Four queries (one when ``courses`` is given), whatever the number of trainees.
    Pass ``courses`` from ``mandatory_courses()`` to reuse them."""
    trainees = list(trainees)
    today = today or timezone.localdate()
    courses = mandatory_courses() if courses is None else courses
    if not trainees or not courses:
        return {trainee.pk: [] for trainee in trainees}
    # Asking about many trainees (a whole force): no IN-list of thousands of ids.
    ids = None if len(trainees) > 500 else [trainee.pk for trainee in trainees]
    last = last_attended(ids, [course.pk for course in courses])
    return {
        trainee.pk: [
            standing_of(course, last.get((trainee.pk, course.pk)), today=today)
            for course in courses
            if is_mandatory_for(course, trainee)
        ]
        for trainee in trainees
    }


def standings_on(course: Course, trainees: list[Trainee]) -> dict[int, CourseStanding]:
    """Each trainee's standing on ``course``, by pk, for those it is mandatory for (three
    queries; two when nobody is asked about or it is mandatory for nobody)."""
    course.role_ids = set(course.mandatory_roles.values_list("pk", flat=True))
    course.team_ids = set(course.mandatory_teams.values_list("pk", flat=True))
    if not trainees or not (course.role_ids or course.team_ids):
        return {}
    found = standings_for(trainees, courses=[course])
    return {pk: standings[0] for pk, standings in found.items() if standings}


def earliest_completing_date(course: Course, today: datetime.date) -> datetime.date:
    """The earliest attendance that still leaves ``course`` COMPLETED today (not due soon, not
    overdue), as ``standing_of`` decides: its refresh date must be more than
    TRAINING_REFRESH_WARNING_DAYS after today."""
    limit = today + datetime.timedelta(days=settings.TRAINING_REFRESH_WARNING_DAYS)
    day = add_months(limit, -course.refresh_months)
    # Months of different lengths: step to the first day whose refresh falls after the limit
    # (a few steps at most; add_months never goes backwards as the day moves on).
    while add_months(day, course.refresh_months) <= limit:
        day += datetime.timedelta(days=1)
    return day


def needs_training(courses: list[Course], today: datetime.date) -> Q:
    """Trainees whose standing on some course of ``courses`` (from ``mandatory_courses()``) is
    not COMPLETED: mandatory for them and never attended, or last attended so long ago that its
    refresh is due soon or overdue. The database's version of ``standings_for``, for filtering
    a list before paginating it."""
    wanted = Q(pk__in=[])
    for course in courses:
        attended = Booking.objects.filter(
            trainee=OuterRef("pk"), status=Booking.Status.ATTENDED, session__course=course
        )
        if course.refresh_months is not None:
            since = datetime.datetime.combine(
                earliest_completing_date(course, today), datetime.time()
            )
            attended = attended.filter(session__starts_at__gte=timezone.make_aware(since))
        mandatory = Q(job_role_id__in=course.role_ids) | Q(team_id__in=course.team_ids)
        wanted |= mandatory & ~Exists(attended)
    return wanted
