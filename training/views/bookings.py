"""Bookings: booking officers onto a session, cancelling a booking, an officer's own training
and a booking as a calendar file.

Who may use these views:
- booking (``Perm.TRAINING_BOOK``): a supervisor books their own team
  (``training.access.bookable_trainees``); the coordinator and tactical lead anyone, one team at
  a time (the force has hundreds of officers).
- cancelling: whoever may change the booking (``training.access.may_change_booking``): the
  managers, the trainee's supervisor, the trainee. Others who see it get 403, the rest 404.
- "My training" and the calendar file (``Perm.TRAINING``): the signed-in user's own bookings
  (their trainee record: same collar number); the calendar file of any booking they may see.
"""

from __future__ import annotations

from django.contrib import messages
from django.db.models import Count, IntegerField, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, path, reverse
from django.utils import timezone
from django.views.decorators.http import require_GET

from stalking_clinic.access import Perm, require
from stalking_clinic.calendar_files import CONTENT_TYPE

from ..access import (
    bookable_trainees,
    bookings_visible_to,
    get_booking_for_user,
    get_session_for_user,
    manages_training,
    trainee_of,
    trainees_visible_to,
)
from ..forms.bookings import BookForm, BookingCancelForm, TeamChoiceForm
from ..ics import booking_calendar
from ..models import Booking, Course, Session, Trainee
from ..selectors.compliance import standings_for
from ..selectors.sessions import with_places
from ..services.bookings import ON_SESSION, bookings_create
from ..services.bookings import booking_cancel as booking_cancel_service
from .saving import save

Status = Booking.Status


def _session_url(session_pk: int) -> str:
    try:
        return reverse("training:session_detail", args=[session_pk])
    except NoReverseMatch:  # pragma: no cover - the session pages are another module's
        return reverse("training:my_training")


def _count(number: int, one: str, many: str) -> str:
    return f"1 {one}" if number == 1 else f"{number} {many}"


# --- booking -------------------------------------------------------------------------------------


def _not_bookable_because(session: Session) -> str:
    if session.status == Session.Status.CANCELLED:
        return "This session has been cancelled: it cannot be booked."
    if session.starts_at <= timezone.now():
        return "This session has already started: it can no longer be booked."
    return ""


def _course_standings(course: Course, trainees: list[Trainee]) -> dict:
    """Each trainee's standing on this course, where it is mandatory for them (3 queries)."""
    course.role_ids = set(course.mandatory_roles.values_list("pk", flat=True))
    course.team_ids = set(course.mandatory_teams.values_list("pk", flat=True))
    if not trainees or not (course.role_ids or course.team_ids):
        return {}
    found = standings_for(trainees, courses=[course])
    return {pk: standings[0] for pk, standings in found.items() if standings}


def _candidates(request):
    """Whom the page lists: a supervisor's team; for the managers, the team chosen (or the team
    of the officer asked for with ``?trainee=``). Returns (queryset, team form or None)."""
    user = request.user
    trainees = bookable_trainees(user)
    if not manages_training(user):
        return trainees, None
    team_form = TeamChoiceForm(request.GET or None)
    team = team_form.cleaned_data["team"] if team_form.is_valid() else None
    asked = request.GET.get("trainee", "")
    if team is None and asked.isdigit():
        wanted = trainees.filter(pk=asked).select_related("team").first()
        if wanted is not None:
            team = wanted.team
            team_form = TeamChoiceForm(initial={"team": team.pk})
    if team is None:
        return trainees.none(), team_form
    return trainees.filter(team=team), team_form


@require(Perm.TRAINING_BOOK)
def book_view(request, pk):
    user = request.user
    session = get_session_for_user(user, pk)
    candidates, team_form = _candidates(request)
    candidates = candidates.select_related("team__area", "job_role").order_by(
        "name", "collar_number"
    )
    form = BookForm(request.POST or None, trainees=candidates)
    made = {}

    def call(data):
        made["bookings"] = bookings_create(
            session=session, trainees=form.chosen(), by=user, waiting_list=data["waiting_list"]
        )

    saved, form = save(request, form, call)
    if saved:
        bookings = made["bookings"]
        booked = sum(1 for booking in bookings if booking.status == Status.BOOKED)
        waiting = len(bookings) - booked
        text = f"{_count(booked, 'officer', 'officers')} booked on {session.course.title}, "
        text += f"{session.when}."
        if waiting:
            text += f" {_count(waiting, 'officer', 'officers')} put on the waiting list."
        messages.success(request, text)
        return redirect(_session_url(session.pk))

    places = with_places(Session.objects.filter(pk=session.pk)).values(
        "places_left", "waiting_count"
    )[0]
    places_left = max(0, places["places_left"])
    trainees = list(candidates)
    on_session = dict(
        Booking.objects.filter(
            session=session, trainee__in=trainees, status__in=ON_SESSION
        ).values_list("trainee_id", "status")
    )
    standings = _course_standings(session.course, trainees)
    if form.is_bound:
        selected = form.chosen_ids()
    else:
        asked = request.GET.get("trainee", "")
        selected = {int(asked)} if asked.isdigit() else set()
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
    return render(
        request,
        "training/book.html",
        {
            "session": session,
            "session_url": _session_url(session.pk),
            "places_left": places_left,
            "waiting_count": places["waiting_count"],
            "not_bookable": _not_bookable_because(session),
            "form": form,
            "team_form": team_form,
            "rows": rows,
            "selectable": selectable,
            # Offered whenever more could be chosen than there are places.
            "offer_waiting_list": places_left < selectable or bool(form.errors),
        },
    )


# --- cancelling ----------------------------------------------------------------------------------


@require(Perm.TRAINING, shows_personal_data=True)
def booking_cancel(request, pk):
    user = request.user
    booking = get_booking_for_user(user, pk, write=True)
    form = BookingCancelForm(request.POST or None, initial={"version": booking.version})
    result = {}

    def call(data):
        result["promoted"] = booking_cancel_service(
            booking=booking, by=user, reason=data["reason"], version=data["version"]
        )

    saved, form = save(request, form, call, record=booking)
    session = booking.session
    me = trainee_of(user)
    own = me is not None and booking.trainee_id == me.pk
    if saved:
        whose = "Your booking" if own else f"{booking.trainee.name}'s booking"
        text = f"{whose} on {session.course.title}, {session.when} is cancelled."
        promoted = result["promoted"]
        if promoted is not None:
            if trainees_visible_to(user).filter(pk=promoted.trainee_id).exists():
                text += f" {promoted.trainee.name} has the place from the waiting list."
            else:
                text += " The place has gone to the first person on the waiting list."
        messages.success(request, text)
        return redirect("training:my_training" if own else _session_url(session.pk))
    request.audit.consulted(booking)
    return render(
        request,
        "training/booking_cancel.html",
        {
            "booking": booking,
            "session": session,
            "own": own,
            "form": form,
            "cancellable": booking.status in (Status.BOOKED, Status.WAITING)
            and session.starts_at > timezone.now(),
            "back_url": reverse("training:my_training") if own else _session_url(session.pk),
        },
    )


# --- my training ---------------------------------------------------------------------------------


def _with_waiting_position(bookings):
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


@require(Perm.TRAINING)
def my_training(request):
    me = trainee_of(request.user)
    if me is None:
        return render(request, "training/my_training.html", {"trainee": None})
    now = timezone.now()
    mine = bookings_visible_to(request.user).filter(trainee=me).select_related("session__course")
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
    return render(
        request,
        "training/my_training.html",
        {
            "trainee": me,
            "upcoming": upcoming,
            "past": past,
            "standings": standings_for([me])[me.pk],
        },
    )


# --- calendar file -------------------------------------------------------------------------------


@require_GET
@require(Perm.TRAINING)
def booking_ics(request, pk):
    """A booked place on a session still to come, as an .ics file for the user's calendar."""
    booking = get_booking_for_user(request.user, pk)
    session = booking.session
    if (
        booking.status != Status.BOOKED
        or session.status != Session.Status.SCHEDULED
        or session.starts_at <= timezone.now()
    ):
        raise Http404("No calendar file for this booking")
    request.audit.disclosed(
        booking,
        recipient=f"{request.user.display_name} (calendar file)",
        justification="Added to their calendar",
    )
    response = HttpResponse(booking_calendar(booking), content_type=CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{booking.reference}.ics"'
    # Never kept by a browser or proxy.
    response["Cache-Control"] = "no-store"
    return response


urlpatterns = [
    path("sessions/<int:pk>/book/", book_view, name="book"),
    path("bookings/<int:pk>/cancel/", booking_cancel, name="booking_cancel"),
    path("bookings/<int:pk>/calendar.ics", booking_ics, name="booking_ics"),
    path("my-training/", my_training, name="my_training"),
]
