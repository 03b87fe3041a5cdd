"""Reads of bookings: whom the booking page lists and where each stands, an officer's own
training, and what a certificate says."""

from __future__ import annotations

from django.conf import settings
from django.db.models import Count, IntegerField, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from ..access import bookable_trainees, bookings_visible_to, manages_training
from ..models import Booking, Session, Team, Trainee
from .compliance import refresh_due_on, standings_for, standings_on
from .sessions import with_places

Status = Booking.Status


def booking_candidates(
    user, *, team: Team | None, asked: str
) -> tuple[QuerySet[Trainee], Team | None]:
    """Whom the booking page lists, by name, and the team listed: a supervisor's own team; for
    the managers (who may book anyone, one team at a time) ``team``, or else the team of the
    officer ``asked`` for (their id), or nobody until a team is chosen."""
    trainees = bookable_trainees(user)
    if manages_training(user):
        if team is None and asked.isdigit():
            wanted = trainees.filter(pk=asked).select_related("team").first()
            team = wanted.team if wanted is not None else None
        trainees = trainees.none() if team is None else trainees.filter(team=team)
    listed = trainees.select_related("team__area", "job_role").order_by("name", "collar_number")
    return listed, team


def _not_bookable_because(session: Session) -> str:
    if session.status == Session.Status.CANCELLED:
        return "This session has been cancelled: it cannot be booked."
    if session.starts_at <= timezone.now():
        return "This session has already started: it can no longer be booked."
    return ""


def booking_page(
    session: Session, candidates: QuerySet[Trainee], *, selected: set[int], refused: bool
) -> dict:
    """The booking page of ``session``: its places left and waiting list, why it cannot be
    booked (if so), and a row per candidate with whether they are already on the session, their
    standing on the course (where it is mandatory for them) and whether they are ticked
    (``selected``, unless already on it). The waiting list is offered whenever more could be
    chosen than there are places, or after a ``refused`` booking."""
    places = with_places(Session.objects.filter(pk=session.pk)).values(
        "places_left", "waiting_count"
    )[0]
    places_left = max(0, places["places_left"])
    trainees = list(candidates)
    on_session = dict(
        Booking.objects.filter(
            session=session, trainee__in=trainees, status__in=Booking.ON_SESSION
        ).values_list("trainee_id", "status")
    )
    standings = standings_on(session.course, trainees)
    rows = [
        {
            "trainee": trainee,
            "status": on_session.get(trainee.pk),
            "standing": standings.get(trainee.pk),
            "checked": trainee.pk in selected and trainee.pk not in on_session,
        }
        for trainee in trainees
    ]
    selectable = sum(1 for row in rows if row["status"] is None)
    return {
        "places_left": places_left,
        "waiting_count": places["waiting_count"],
        "not_bookable": _not_bookable_because(session),
        "rows": rows,
        "selectable": selectable,
        "offer_waiting_list": places_left < selectable or refused,
    }


def _with_waiting_position(bookings: QuerySet[Booking]) -> QuerySet[Booking]:
    """Annotate ``ahead``: how many joined the session's waiting list before each booking."""
    ahead = (
        Booking.objects.filter(session=OuterRef("session"), status=Status.WAITING)
        .filter(
            Q(joined_at__lt=OuterRef("joined_at"))
            | Q(joined_at=OuterRef("joined_at"), pk__lt=OuterRef("pk"))
        )
        .order_by()
        .values("session")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return bookings.annotate(ahead=Coalesce(Subquery(ahead, output_field=IntegerField()), 0))


def my_training(user, me: Trainee) -> dict:
    """An officer's own training: their ``upcoming`` bookings and places on waiting lists (each
    with its ``waiting_position``), their ``past`` sessions, and their ``standings`` on the
    mandatory courses."""
    now = timezone.now()
    mine = bookings_visible_to(user).filter(trainee=me).select_related("session__course")
    upcoming = list(
        _with_waiting_position(
            mine.filter(session__starts_at__gt=now, status__in=[Status.BOOKED, Status.WAITING])
        ).order_by("session__starts_at", "pk")
    )
    for booking in upcoming:
        booking.waiting_position = booking.ahead + 1
    past = list(
        mine.filter(
            session__starts_at__lte=now,
            status__in=[Status.ATTENDED, Status.ABSENT, Status.BOOKED],
        ).order_by("-session__starts_at", "-pk")
    )
    return {"upcoming": upcoming, "past": past, "standings": standings_for([me])[me.pk]}


def certificate(booking: Booking) -> dict:
    """What the certificate of an attended ``booking`` says."""
    session = booking.session
    course = session.course
    attended_on = timezone.localdate(session.starts_at)
    return {
        "booking": booking,
        "trainee": booking.trainee,
        "course": course,
        "session": session,
        "attended_on": attended_on,
        "duration": course.duration_label,
        "refresh_due_on": refresh_due_on(course, attended_on),
        "force_name": settings.FORCE_NAME,
        "generated_at": timezone.now(),
    }
