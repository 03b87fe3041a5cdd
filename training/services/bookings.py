"""Booking trainees onto sessions, the waiting list, and cancelling.

A session has ``capacity`` places; the bookings holding one are ``Booking.HOLDS_PLACE``. Places
are counted only while holding the session's row lock (``SELECT … FOR UPDATE``): two supervisors
booking the last place at the same moment queue on that lock, and the second counts the places
after the first has committed, so exactly one of them gets it. Every write that gives or frees a
place (``bookings_create``, ``booking_cancel``, ``session_fill_places``) takes the same lock
first, and the session before any of its bookings, so they cannot deadlock each other.

The waiting list is a session's WAITING bookings in the order they joined (``joined_at``, then
``id``); a place that comes free goes to the first of them, who is emailed (and so is whoever
booked them). Emails go after commit, and hold the course, the date and time, the place and a
link: nothing else, since email leaves the system.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from stalking_clinic.audit.models import AuditEvent
from stalking_clinic.audit.services import record
from stalking_clinic.services import ChangedByAnotherUser, ServiceError

from ..models import Booking, Session, Trainee
from .emails import send_after_commit


class SessionFull(ServiceError):
    """No place left for everyone asked for, and the waiting list was not chosen: nothing was
    booked. ``places_left`` says how many places there were when the booking was refused."""

    def __init__(self, message: str, field: str | None = None, *, places_left: int = 0):
        super().__init__(message, field)
        self.places_left = places_left


Status = Booking.Status


def _names(trainees: Iterable[Trainee]) -> str:
    names = [trainee.name for trainee in trainees]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def _lock_session(session: Session) -> Session:
    # of=("self",): the session row only, not its course.
    return (
        Session.objects.select_for_update(of=("self",)).select_related("course").get(pk=session.pk)
    )


def _places_left(session: Session) -> int:
    taken = Booking.objects.filter(session=session, status__in=Booking.HOLDS_PLACE).count()
    return max(0, session.capacity - taken)


def _refuse_unbookable(session: Session, now) -> None:
    if session.status == Session.Status.CANCELLED:
        raise ServiceError("This session has been cancelled. Choose another session.")
    if session.starts_at <= now:
        raise ServiceError("This session has already started. Choose another session.")


def _full_message(places_left: int) -> str:
    if places_left <= 0:
        return (
            "This session is now full. Put the officers you chose on the waiting list, "
            "or choose another session."
        )
    places = "1 place is" if places_left == 1 else f"{places_left} places are"
    officers = "1 officer" if places_left == 1 else f"{places_left} officers"
    return f"Only {places} left. Choose {officers}, or put the others on the waiting list."


# --- emails --------------------------------------------------------------------------------------


def _my_training_url() -> str:
    return settings.SITE_URL + reverse("training:my_training")


def _email_place_given(booking: Booking, session: Session) -> None:
    """The promoted trainee and whoever put them on the waiting list hear that the place is
    theirs: course, time, place and a link, nothing else."""
    details = f"{session.course.title}, {session.when}, {session.where}"
    url = _my_training_url()
    subject = f"A place has come up: {session.course.title}"
    if booking.trainee.email:
        send_after_commit(
            subject,
            f"A place has come up: you are booked on {details}.\n\n"
            f"See your training and add it to your calendar:\n{url}\n",
            [booking.trainee.email],
            about=booking.reference,
        )
    booker = booking.booked_by
    if booker.email and booker.email.lower() != booking.trainee.email.lower():
        send_after_commit(
            subject,
            f"A place has come up on {details}, for someone you put on the waiting list. "
            f"They are now booked on it.\n\nSign in to see the session:\n{url}\n",
            [booker.email],
            about=booking.reference,
        )


def _email_booked(bookings: list[Booking], session: Session) -> None:
    """A confirmation to each trainee with an email address."""
    details = f"{session.course.title}, {session.when}, {session.where}"
    url = _my_training_url()
    for booking in bookings:
        if not booking.trainee.email:
            continue
        if booking.status == Status.BOOKED:
            subject = f"Booked: {session.course.title}"
            text = f"You are booked on {details}."
        else:
            subject = f"Waiting list: {session.course.title}"
            text = (
                f"You are on the waiting list for {details}. You will get an email if a "
                "place comes up."
            )
        send_after_commit(
            subject,
            f"{text}\n\nSee your training:\n{url}\n",
            [booking.trainee.email],
            about=booking.reference,
        )


# --- services ------------------------------------------------------------------------------------


def _promote(session: Session, places: int, *, by) -> list[Booking]:
    """Give up to ``places`` places to the waiting list, first joined first. The caller holds
    the session lock."""
    if places <= 0:
        return []
    waiting = list(
        Booking.objects.select_for_update(of=("self",))
        .select_related("trainee", "booked_by")
        .filter(session=session, status=Status.WAITING)
        .order_by("joined_at", "id")[:places]
    )
    now = timezone.now()
    for booking in waiting:
        booking.status = Status.BOOKED
        booking.placed_at = now
        booking.version += 1
        booking.save(update_fields=["status", "placed_at", "version"])
        record(
            actor=by,
            action=AuditEvent.Action.ALTERATION,
            obj=booking,
            changed_fields=["status", "placed_at"],
        )
        _email_place_given(booking, session)
    return waiting


def session_fill_places(session: Session, *, by) -> list[Booking]:
    """Give the session's free places to its waiting list, in the order they joined, and email
    those promoted (after commit). The CALLER holds the session's row lock, inside its atomic
    block (``Session.objects.select_for_update()``), e.g. after raising the capacity.

    Nothing is given on a cancelled session or one that has started.
    """
    if session.status == Session.Status.CANCELLED or session.starts_at <= timezone.now():
        return []
    return _promote(session, _places_left(session), by=by)


@transaction.atomic
def bookings_create(
    *, session: Session, trainees: list[Trainee], by, waiting_list: bool = False
) -> list[Booking]:
    """Book ``trainees`` onto ``session``, in the order given, while places are left.

    The rest join the waiting list if ``waiting_list``; otherwise SessionFull is raised and
    nothing is written. Refused: a cancelled session or one that has started, an inactive
    trainee, and a trainee already on the session (booked, waiting or attended).
    """
    now = timezone.now()
    session = _lock_session(session)
    _refuse_unbookable(session, now)
    chosen = list(dict.fromkeys(trainees))  # once each, in the order given
    if not chosen:
        raise ServiceError("Choose at least one officer to book.", "trainees")
    inactive = [trainee for trainee in chosen if not trainee.active]
    if inactive:
        verb = "is" if len(inactive) == 1 else "are"
        raise ServiceError(
            f"{_names(inactive)} {verb} no longer on the officer list and cannot be booked.",
            "trainees",
        )
    already = dict(
        Booking.objects.filter(
            session=session, trainee__in=chosen, status__in=Booking.ON_SESSION
        ).values_list("trainee_id", "status")
    )
    if already:
        on_it = [trainee for trainee in chosen if trainee.pk in already]
        waiting = all(already[trainee.pk] == Status.WAITING for trainee in on_it)
        where = "on the waiting list for" if waiting else "already on"
        raise ServiceError(
            f"{_names(on_it)} {'is' if len(on_it) == 1 else 'are'} {where} "
            "this session. Untick them and try again.",
            "trainees",
        )

    # Counted now, under the lock: whoever booked before us has committed. Those already
    # waiting come before anyone new (a place can be free with people waiting when the
    # capacity was raised).
    left = _places_left(session)
    left -= len(_promote(session, left, by=by))
    if len(chosen) > left and not waiting_list:
        raise SessionFull(_full_message(left), "trainees", places_left=left)

    bookings = [
        Booking(
            session=session,
            trainee=trainee,
            status=Status.BOOKED if index < left else Status.WAITING,
            booked_by=by,
            joined_at=now,
            placed_at=now if index < left else None,
        )
        for index, trainee in enumerate(chosen)
    ]
    # Inserted in order: the ids keep the waiting-list order of people joining together.
    for booking in bookings:
        booking.save(force_insert=True)
        record(actor=by, action=AuditEvent.Action.COLLECTION, obj=booking)
    _email_booked(bookings, session)
    return bookings


@transaction.atomic
def booking_cancel(
    *, booking: Booking, by, reason: str = "", version: int | None = None
) -> Booking | None:
    """Cancel a booking or a place on the waiting list. A place freed goes to the first person
    waiting, who is returned (None if nobody was promoted).

    Before the session starts only: once it has started, a booking that did not happen is
    recorded with the attendance ("cancelled" there).
    """
    session = _lock_session(booking.session)
    current = Booking.objects.select_for_update(of=("self",)).get(pk=booking.pk)
    if version is not None and current.version != version:
        raise ChangedByAnotherUser(
            "Someone else changed this booking after you opened it. Check it and try again."
        )
    if current.status == Status.CANCELLED:
        raise ServiceError("This booking has already been cancelled.")
    if current.status not in (Status.BOOKED, Status.WAITING) or session.starts_at <= timezone.now():
        raise ServiceError(
            "This session has already started. Record who did not come with its attendance."
        )
    held_place = current.status == Status.BOOKED
    current.status = Status.CANCELLED
    current.cancelled_at = timezone.now()
    current.cancelled_by = by
    current.cancellation_reason = reason.strip()[:300]
    current.version += 1
    current.save(
        update_fields=[
            "status",
            "cancelled_at",
            "cancelled_by",
            "cancellation_reason",
            "version",
        ]
    )
    record(
        actor=by,
        action=AuditEvent.Action.ALTERATION,
        obj=current,
        changed_fields=["status", "cancelled_at", "cancelled_by", "cancellation_reason"],
    )
    # The caller's copy shows the cancellation too.
    for field in ("status", "cancelled_at", "cancelled_by", "cancellation_reason", "version"):
        setattr(booking, field, getattr(current, field))
    if not held_place or session.status == Session.Status.CANCELLED:
        return None
    promoted = _promote(session, _places_left(session), by=by)
    return promoted[0] if promoted else None
