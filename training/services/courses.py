"""Writes of the training programme: courses, and their sessions (scheduled, changed, cancelled).

One named operation per act, one transaction, one audit entry. A refusal is a ``ServiceError``
whose message is for the user and whose ``field`` names the form field at fault. Edits take the
``version`` the user saw: the row is locked and compared, so the second of two people editing at
once is told rather than silently overwritten.

Places on a session are given by ``training.services.bookings``; here a session's capacity is
only raised or lowered. Raising it gives the new places to the waiting list at once, under the
same lock on the session row that booking takes, so a booking made at that moment cannot take a
place meant for someone waiting (or the other way round).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone

from stalking_clinic.access import Perm, can
from stalking_clinic.audit.models import AuditEvent
from stalking_clinic.audit.services import record
from stalking_clinic.services import ServiceError, locked, one_of, save_changes

from ..models import Booking, Course, JobRole, Session, Team
from ..selectors.sessions import places_taken
from .emails import send_after_commit

REASON_MAX = 250


# --- courses -----------------------------------------------------------------------------------


def _check_course(
    *,
    title: str,
    kind: str,
    audience: str,
    duration_minutes,
    refresh_months,
    exclude_pk: int | None = None,
) -> None:
    if not title:
        raise ServiceError("Enter the title of the course.", "title")
    same = Course.objects.filter(title__iexact=title)
    if exclude_pk is not None:
        same = same.exclude(pk=exclude_pk)
    if same.exists():
        raise _title_taken(title)
    one_of(kind, Course.Kind, "kind", "Choose the kind of course.")
    if not audience:
        raise ServiceError("Enter who the course is for.", "audience")
    if duration_minutes is None or duration_minutes < 1:
        raise ServiceError(
            "Enter how long the course lasts in minutes, 1 or more.", "duration_minutes"
        )
    if refresh_months is not None and refresh_months < 1:
        raise ServiceError(
            "Enter the number of months, 1 or more, or leave it empty if the course is never "
            "taken again.",
            "refresh_months",
        )


def _title_taken(title: str) -> ServiceError:
    return ServiceError(
        f'There is already a course called "{title}". Give this course another title.', "title"
    )


@transaction.atomic
def course_create(
    *,
    by,
    title: str,
    kind: str,
    audience: str,
    duration_minutes: int,
    refresh_months: int | None = None,
    description: str = "",
    mandatory_roles: Iterable[JobRole] = (),
    mandatory_teams: Iterable[Team] = (),
) -> Course:
    """Add a course to the programme. ``refresh_months`` empty: once attended, never due again.
    It is mandatory for anyone holding one of ``mandatory_roles`` and for everyone in
    ``mandatory_teams``."""
    title, audience = (title or "").strip(), (audience or "").strip()
    _check_course(
        title=title,
        kind=kind,
        audience=audience,
        duration_minutes=duration_minutes,
        refresh_months=refresh_months,
    )
    try:
        # Two people adding the same title at once: the unique constraint decides.
        with transaction.atomic():
            course = Course.objects.create(
                title=title,
                kind=kind,
                audience=audience,
                description=(description or "").strip(),
                duration_minutes=duration_minutes,
                refresh_months=refresh_months,
            )
    except IntegrityError as error:
        raise _title_taken(title) from error
    course.mandatory_roles.set(list(mandatory_roles))
    course.mandatory_teams.set(list(mandatory_teams))
    record(actor=by, action=AuditEvent.Action.COLLECTION, obj=course)
    return course


@transaction.atomic
def course_update(
    *,
    course: Course,
    by,
    version: int,
    title: str,
    kind: str,
    audience: str,
    duration_minutes: int,
    refresh_months: int | None,
    description: str = "",
    mandatory_roles: Iterable[JobRole] = (),
    mandatory_teams: Iterable[Team] = (),
    active: bool = True,
) -> Course:
    """Change a course. Who it is mandatory for and its refresh interval change everyone's
    compliance from now on (it is worked out from attendance, not stored)."""
    current = locked(course, version, what="course")
    title, audience = (title or "").strip(), (audience or "").strip()
    _check_course(
        title=title,
        kind=kind,
        audience=audience,
        duration_minutes=duration_minutes,
        refresh_months=refresh_months,
        exclude_pk=current.pk,
    )
    roles = {role.pk for role in mandatory_roles}
    teams = {team.pk for team in mandatory_teams}
    also = []
    if roles != set(current.mandatory_roles.values_list("pk", flat=True)):
        current.mandatory_roles.set(roles)
        also.append("mandatory_roles")
    if teams != set(current.mandatory_teams.values_list("pk", flat=True)):
        current.mandatory_teams.set(teams)
        also.append("mandatory_teams")
    try:
        with transaction.atomic():
            changed = save_changes(
                current,
                {
                    "title": title,
                    "kind": kind,
                    "audience": audience,
                    "description": (description or "").strip(),
                    "duration_minutes": duration_minutes,
                    "refresh_months": refresh_months,
                    "active": active,
                },
                also=also,
            )
    except IntegrityError as error:
        raise _title_taken(title) from error
    if changed:
        record(actor=by, action=AuditEvent.Action.ALTERATION, obj=current, changed_fields=changed)
    return current


# --- sessions ----------------------------------------------------------------------------------


def _check_session(
    *,
    venue: str,
    online_link: str,
    trainer,
    trainer_name: str,
    capacity,
) -> None:
    if not venue and not online_link:
        raise ServiceError("Enter the venue, or an online link for a session held online.", "venue")
    if trainer is not None and trainer_name:
        raise ServiceError(
            "Choose a trainer with an account, or enter the name of a trainer from outside, "
            "not both.",
            "trainer",
        )
    if trainer is None and not trainer_name:
        raise ServiceError(
            "Choose a trainer with an account, or enter the name of a trainer from outside.",
            "trainer",
        )
    if trainer is not None and not (trainer.is_active and can(trainer, Perm.TRAINING)):
        raise ServiceError("The trainer must be someone who uses the training area.", "trainer")
    if capacity is None or capacity < 1:
        raise ServiceError("Enter the number of places, 1 or more.", "capacity")


def _check_start(starts_at) -> None:
    if starts_at is None or timezone.is_naive(starts_at):
        raise ServiceError("Enter the date and time of the session.", "starts_at")
    if starts_at <= timezone.now():
        raise ServiceError("The session must start in the future.", "starts_at")


@transaction.atomic
def session_create(
    *,
    course: Course,
    by,
    starts_at: datetime.datetime,
    venue: str = "",
    online_link: str = "",
    trainer=None,
    trainer_name: str = "",
    capacity: int,
    notes: str = "",
) -> Session:
    """Schedule a session of a course: somewhere (a venue, an online link, or both), with a
    trainer (a user, who then records attendance, or a named trainer from outside)."""
    venue, online_link = (venue or "").strip(), (online_link or "").strip()
    trainer_name = (trainer_name or "").strip()
    if not course.active:
        raise ServiceError("This course is no longer run: choose another.", "course")
    _check_start(starts_at)
    _check_session(
        venue=venue,
        online_link=online_link,
        trainer=trainer,
        trainer_name=trainer_name,
        capacity=capacity,
    )
    session = Session.objects.create(
        course=course,
        starts_at=starts_at,
        venue=venue,
        online_link=online_link,
        trainer=trainer,
        trainer_name=trainer_name,
        capacity=capacity,
        notes=(notes or "").strip(),
        created_by=by,
    )
    record(actor=by, action=AuditEvent.Action.COLLECTION, obj=session)
    return session


@transaction.atomic
def session_update(
    *,
    session: Session,
    by,
    version: int,
    starts_at: datetime.datetime,
    venue: str = "",
    online_link: str = "",
    trainer=None,
    trainer_name: str = "",
    capacity: int,
    notes: str = "",
) -> Session:
    """Change a session. Moved to another time, it keeps its bookings (their reminders are
    keyed on the start time, so each is reminded of the new time). Its capacity cannot go below
    the places already taken; raised, the new places go to the waiting list in the order people
    joined it."""
    current = locked(session, version, what="session")
    if current.status == Session.Status.CANCELLED:
        raise ServiceError("This session was cancelled: it cannot be changed.")
    venue, online_link = (venue or "").strip(), (online_link or "").strip()
    trainer_name = (trainer_name or "").strip()
    if starts_at != current.starts_at:
        _check_start(starts_at)
    _check_session(
        venue=venue,
        online_link=online_link,
        trainer=trainer,
        trainer_name=trainer_name,
        capacity=capacity,
    )
    taken = places_taken(current)
    if capacity < taken:
        people = "1 person holds a place" if taken == 1 else f"{taken} people hold places"
        raise ServiceError(f"{people}: the capacity cannot be less than {taken}", "capacity")
    raised = capacity > current.capacity
    changed = save_changes(
        current,
        {
            "starts_at": starts_at,
            "venue": venue,
            "online_link": online_link,
            "trainer_id": trainer.pk if trainer is not None else None,
            "trainer_name": trainer_name,
            "capacity": capacity,
            "notes": (notes or "").strip(),
        },
    )
    if changed:
        record(actor=by, action=AuditEvent.Action.ALTERATION, obj=current, changed_fields=changed)
    if raised:
        # Imported here: the bookings services import this area's models and run in parallel.
        from .bookings import session_fill_places

        # The session row is still locked (select_for_update above): bookings wait for us.
        session_fill_places(current, by=by)
    return current


@transaction.atomic
def session_cancel(*, session: Session, by, reason: str, version: int) -> Session:
    """Cancel a session that has not started. Everyone booked or waiting is taken off it (no one
    is promoted: there is nothing to promote to) and told by email, as is whoever booked them."""
    current = locked(session, version, what="session")
    reason = (reason or "").strip()
    if current.status == Session.Status.CANCELLED:
        raise ServiceError("This session is already cancelled.")
    if current.starts_at <= timezone.now():
        raise ServiceError(
            "This session has already started: record its attendance instead of cancelling it."
        )
    if not reason:
        raise ServiceError("Enter why the session is cancelled.", "reason")
    if len(reason) > REASON_MAX:
        raise ServiceError(f"Enter a reason of {REASON_MAX} characters or fewer.", "reason")
    changed = save_changes(
        current, {"status": Session.Status.CANCELLED, "cancelled_reason": reason}
    )
    affected = list(
        current.bookings.filter(status__in=[Booking.Status.BOOKED, Booking.Status.WAITING])
        .select_related("trainee", "booked_by")
        .order_by("joined_at", "id")
    )
    now = timezone.now()
    Booking.objects.filter(pk__in=[b.pk for b in affected]).update(
        status=Booking.Status.CANCELLED,
        cancelled_at=now,
        cancelled_by=by,
        cancellation_reason=f"Session cancelled: {reason}"[:300],
        version=F("version") + 1,
    )
    record(actor=by, action=AuditEvent.Action.ALTERATION, obj=current, changed_fields=changed)
    addresses = []
    for booking in affected:
        for address in (booking.trainee.email, booking.booked_by.email):
            if address and address not in addresses:
                addresses.append(address)
    if addresses:
        subject, body = _cancellation_email(current)
        send_after_commit(subject, body, addresses, about=current.reference)
    return current


def _cancellation_email(session: Session) -> tuple[str, str]:
    """The course, when and where, that it is cancelled, and the programme's address: nothing
    about who was booked, nor why it was cancelled."""
    when = session.when
    programme = settings.SITE_URL + reverse("training:sessions")
    subject = f"Cancelled: {session.course.title}, {when}"
    body = (
        f"The training session below is cancelled.\n\n"
        f"Course: {session.course.title}\n"
        f"When: {when}\n"
        f"Where: {session.where}\n\n"
        f"Bookings on it are cancelled. To book another session, see the programme:\n"
        f"{programme}\n"
    )
    return subject, body
