"""Who sees and changes what in training: the record rules of the training area.

- The coordinator and the tactical lead (``Perm.TRAINING_MANAGE``) see and change everything.
- A signed-in police user is the trainee with their collar number (``trainee_of``). A supervisor
  sees, books and cancels for the trainees whose supervisor they are; an officer sees their own
  training record and bookings and may cancel their own booking.
- A session's trainer sees who is booked on it and records its attendance.
- Everyone in the training area sees the courses, the sessions and their free places, and the
  champions register.
- CPD entries: each member of clinic staff sees and changes their own; the coordinator and the
  tactical lead see everyone's.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from stalking_clinic.access import Perm, can

from .models import Booking, Champion, Course, CPDEntry, Session, Trainee

_UNSET = object()


def trainee_of(user) -> Trainee | None:
    """The trainee record of the signed-in user (same collar number), cached on the user."""
    cached = getattr(user, "_training_trainee", _UNSET)
    if cached is _UNSET:
        number = getattr(user, "collar_number", "")
        cached = (
            Trainee.objects.select_related("team__area", "job_role")
            .filter(collar_number=number)
            .first()
            if number
            else None
        )
        user._training_trainee = cached
    return cached


def manages_training(user) -> bool:
    return can(user, Perm.TRAINING_MANAGE)


# Trainees ---------------------------------------------------------------------------------------


def trainees_visible_to(user) -> QuerySet[Trainee]:
    """Managers: everyone; a supervisor: their reports and themselves; an officer: themselves."""
    if not can(user, Perm.TRAINING):
        return Trainee.objects.none()
    if manages_training(user):
        return Trainee.objects.all()
    me = trainee_of(user)
    if me is None:
        return Trainee.objects.none()
    mine = Q(pk=me.pk)
    if can(user, Perm.TRAINING_BOOK):
        mine |= Q(supervisor=me)
    return Trainee.objects.filter(mine)


def visible_trainee_ids(user) -> set[int] | None:
    """The ids of the trainees whose names the user may see: None for everyone (no query), else
    one query."""
    if manages_training(user):
        return None
    return set(trainees_visible_to(user).values_list("pk", flat=True))


def get_trainee_for_user(user, pk) -> Trainee:
    trainee = (
        trainees_visible_to(user)
        .select_related("team__area", "job_role", "supervisor")
        .filter(pk=pk)
        .first()
    )
    if trainee is None:
        raise Http404("No such trainee")
    return trainee


def team_of(user) -> QuerySet[Trainee]:
    """The trainees a supervisor supervises (active ones); nobody for anyone else."""
    me = trainee_of(user)
    if me is None or not can(user, Perm.TRAINING_BOOK):
        return Trainee.objects.none()
    return Trainee.objects.filter(supervisor=me, active=True)


def bookable_trainees(user) -> QuerySet[Trainee]:
    """Whom the user may book onto a session: managers anyone active, supervisors their team."""
    if not can(user, Perm.TRAINING_BOOK):
        return Trainee.objects.none()
    if manages_training(user):
        return Trainee.objects.filter(active=True)
    return team_of(user)


# Courses and sessions ---------------------------------------------------------------------------


def courses_visible_to(user) -> QuerySet[Course]:
    if not can(user, Perm.TRAINING):
        return Course.objects.none()
    return Course.objects.all()


def get_course_for_user(user, pk, *, write: bool = False) -> Course:
    course = courses_visible_to(user).filter(pk=pk).first()
    if course is None:
        raise Http404("No such course")
    if write and not manages_training(user):
        raise PermissionDenied
    return course


def sessions_visible_to(user) -> QuerySet[Session]:
    if not can(user, Perm.TRAINING):
        return Session.objects.none()
    return Session.objects.all()


def get_session_for_user(user, pk, *, write: bool = False) -> Session:
    """The session (everyone in training sees the programme); ``write`` needs TRAINING_MANAGE."""
    session = sessions_visible_to(user).select_related("course", "trainer").filter(pk=pk).first()
    if session is None:
        raise Http404("No such session")
    if write and not manages_training(user):
        raise PermissionDenied
    return session


def may_record_attendance(user, session: Session) -> bool:
    if manages_training(user):
        return True
    return (
        can(user, Perm.TRAINING)
        and session.trainer_id is not None
        and (session.trainer_id == user.pk)
    )


# Bookings ---------------------------------------------------------------------------------------


def bookings_visible_to(user) -> QuerySet[Booking]:
    """Managers: all; otherwise one's own, one's team's, and those on sessions one trains."""
    if not can(user, Perm.TRAINING):
        return Booking.objects.none()
    if manages_training(user):
        return Booking.objects.all()
    mine = Q(session__trainer=user)
    me = trainee_of(user)
    if me is not None:
        mine |= Q(trainee=me)
        if can(user, Perm.TRAINING_BOOK):
            mine |= Q(trainee__supervisor=me)
    return Booking.objects.filter(mine)


def may_change_booking(user, booking: Booking) -> bool:
    """Cancel it: managers, the trainee's supervisor, or the trainee."""
    if manages_training(user):
        return True
    me = trainee_of(user)
    if me is None:
        return False
    if booking.trainee_id == me.pk:
        return True
    return can(user, Perm.TRAINING_BOOK) and booking.trainee.supervisor_id == me.pk


def get_booking_for_user(user, pk, *, write: bool = False) -> Booking:
    """The booking, if the user may see it (else 404); ``write`` (cancel) as
    ``may_change_booking`` (else 403)."""
    booking = (
        bookings_visible_to(user)
        .select_related("session__course", "session__trainer", "trainee__team__area")
        .filter(pk=pk)
        .first()
    )
    if booking is None:
        raise Http404("No such booking")
    if write and not may_change_booking(user, booking):
        raise PermissionDenied
    return booking


# Champions and CPD ------------------------------------------------------------------------------


def champions_visible_to(user) -> QuerySet[Champion]:
    if not can(user, Perm.TRAINING):
        return Champion.objects.none()
    return Champion.objects.all()


def get_champion_for_user(user, pk, *, write: bool = False) -> Champion:
    champion = (
        champions_visible_to(user)
        .select_related("trainee__team__area", "trainee__job_role")
        .filter(pk=pk)
        .first()
    )
    if champion is None:
        raise Http404("No such champion")
    if write and not manages_training(user):
        raise PermissionDenied
    return champion


def cpd_entries_visible_to(user) -> QuerySet[CPDEntry]:
    if not can(user, Perm.CPD):
        return CPDEntry.objects.none()
    if manages_training(user):
        return CPDEntry.objects.all()
    return CPDEntry.objects.filter(user=user)


def get_cpd_entry_for_user(user, pk, *, write: bool = False) -> CPDEntry:
    """Each person changes only their own entries; the managers may read everyone's (403 on
    writing someone else's)."""
    entry = cpd_entries_visible_to(user).select_related("user").filter(pk=pk).first()
    if entry is None:
        raise Http404("No such CPD entry")
    if write and entry.user_id != user.pk:
        raise PermissionDenied
    return entry
