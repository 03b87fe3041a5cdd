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
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone

from stalking_clinic.access import POSTS, Perm, require
from stalking_clinic.calendar_files import CONTENT_TYPE
from stalking_clinic.downloads import download
from stalking_clinic.service_forms import save_through_service

from ..access import (
    get_booking_for_user,
    get_session_for_user,
    manages_training,
    trainee_of,
    trainees_visible_to,
)
from ..forms.bookings import BookForm, BookingCancelForm, TeamChoiceForm
from ..ics import booking_calendar
from ..models import Booking, Session
from ..selectors import bookings as selectors
from ..services import bookings as services
from .pages import form_page

Status = Booking.Status


def _session_url(session: Session) -> str:
    return reverse("training:session_detail", args=[session.pk])


def _count(number: int, one: str, many: str) -> str:
    return f"1 {one}" if number == 1 else f"{number} {many}"


# --- booking -------------------------------------------------------------------------------------


def _booked_message(session: Session, bookings: list[Booking]) -> str:
    booked = sum(1 for booking in bookings if booking.status == Status.BOOKED)
    waiting = len(bookings) - booked
    text = f"{_count(booked, 'officer', 'officers')} booked on {session.course.title}, "
    text += f"{session.when}."
    if waiting:
        text += f" {_count(waiting, 'officer', 'officers')} put on the waiting list."
    return text


@require(Perm.TRAINING_BOOK, methods=POSTS)
def book_view(request, pk):
    user = request.user
    session = get_session_for_user(user, pk)
    asked = request.GET.get("trainee", "")
    team_form = TeamChoiceForm(request.GET or None) if manages_training(user) else None
    chosen_team = team_form.chosen_team() if team_form is not None else None
    candidates, team = selectors.booking_candidates(user, team=chosen_team, asked=asked)
    if chosen_team is None and team is not None:
        # The team of the officer asked for: shown as the team chosen.
        team_form = TeamChoiceForm(initial={"team": team.pk})
    form = BookForm(request.POST or None, trainees=candidates)
    outcome = save_through_service(
        request, form, services.bookings_create, session=session, by=user
    )
    if outcome.saved:
        messages.success(request, _booked_message(session, outcome.result))
        return redirect(_session_url(session))
    form = outcome.form
    page = selectors.booking_page(
        session, candidates, selected=form.ticked(asked=asked), refused=bool(form.errors)
    )
    return render(
        request,
        "training/book.html",
        {
            "session": session,
            "session_url": _session_url(session),
            "form": form,
            "team_form": team_form,
            **page,
        },
    )


# --- cancelling ----------------------------------------------------------------------------------


@require(Perm.TRAINING, shows_personal_data=True, methods=POSTS)
def booking_cancel(request, pk):
    user = request.user
    booking = get_booking_for_user(user, pk, write=True)
    session = booking.session
    me = trainee_of(user)
    own = me is not None and booking.trainee_id == me.pk
    back_url = reverse("training:my_training") if own else _session_url(session)

    def cancelled(promoted: Booking | None) -> str:
        whose = "Your booking" if own else f"{booking.trainee.name}'s booking"
        text = f"{whose} on {session.course.title}, {session.when} is cancelled."
        if promoted is not None:
            if trainees_visible_to(user).filter(pk=promoted.trainee_id).exists():
                text += f" {promoted.trainee.name} has the place from the waiting list."
            else:
                text += " The place has gone to the first person on the waiting list."
        return text

    return form_page(
        request,
        BookingCancelForm(request.POST or None, initial={"version": booking.version}),
        services.booking_cancel,
        booking=booking,
        record=booking,
        done=cancelled,
        then=back_url,
        template="training/booking_cancel.html",
        context=lambda: {
            "booking": booking,
            "session": session,
            "own": own,
            "cancellable": booking.status in (Status.BOOKED, Status.WAITING)
            and session.starts_at > timezone.now(),
            "back_url": back_url,
        },
        consulted=booking,
    )


# --- my training ---------------------------------------------------------------------------------


@require(Perm.TRAINING)
def my_training(request):
    me = trainee_of(request.user)
    if me is None:
        return render(request, "training/my_training.html", {"trainee": None})
    return render(
        request,
        "training/my_training.html",
        {"trainee": me, **selectors.my_training(request.user, me)},
    )


# --- calendar file -------------------------------------------------------------------------------


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
    return download(
        booking_calendar(booking), content_type=CONTENT_TYPE, filename=f"{booking.reference}.ics"
    )


urlpatterns = [
    path("sessions/<int:pk>/book/", book_view, name="book"),
    path("bookings/<int:pk>/cancel/", booking_cancel, name="booking_cancel"),
    path("bookings/<int:pk>/calendar.ics", booking_ics, name="booking_ics"),
    path("my-training/", my_training, name="my_training"),
]
