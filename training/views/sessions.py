"""The programme of sessions: the list, a session's page, scheduling, changing and cancelling.

Who may use these views (``training.access``):
- ``sessions`` and ``session_detail``: everyone in the training area (``Perm.TRAINING``). On a
  session's page each sees only the bookings they may see (``bookings_visible_to``): managers
  everyone's, a supervisor their team's, an officer their own, the trainer those on their session.
- ``session_new``, ``session_edit`` and ``session_cancel``: the coordinator and the tactical lead
  (``Perm.TRAINING_MANAGE``); anyone else gets 403.
"""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone

from stalking_clinic.access import Perm, can, require
from stalking_clinic.paging import numbered_page

from ..access import (
    bookings_visible_to,
    courses_visible_to,
    get_session_for_user,
    manages_training,
    may_change_booking,
    may_record_attendance,
    sessions_visible_to,
    trainees_visible_to,
)
from ..forms.courses import SessionCancelForm, SessionEditForm, SessionFilterForm, SessionForm
from ..models import Booking, Session
from ..selectors.sessions import with_places
from ..services import courses as services
from .saving import save

PAGE_SIZE = 25

# Service fields that the forms ask for under another name.
_FIELD_ALIASES = {"starts_at": "date"}


def _save(request, form, call, *, record=None):
    return save(request, form, call, record=record, field_aliases=_FIELD_ALIASES)


@require(Perm.TRAINING)
def sessions(request):
    filters = SessionFilterForm(request.GET or None)
    data = {}
    if filters.is_bound:
        filters.is_valid()
        data = filters.cleaned_data  # the filters that were valid; a bad one is ignored
    now = timezone.now()
    past = data.get("when") == "past"
    rows = with_places(sessions_visible_to(request.user).select_related("course", "trainer"))
    if past:
        rows = rows.filter(starts_at__lt=now).order_by("-starts_at", "-id")
    else:
        rows = rows.filter(starts_at__gte=now).order_by("starts_at", "id")
    if data.get("course"):
        rows = rows.filter(course=data["course"])
    if data.get("month"):
        year, month = (int(part) for part in data["month"].split("-"))
        rows = rows.filter(starts_at__year=year, starts_at__month=month)
    if data.get("mode") == "online":
        rows = rows.exclude(online_link="")
    elif data.get("mode") == "in_person":
        rows = rows.exclude(venue="")
    if data.get("free_places"):
        rows = rows.filter(status=Session.Status.SCHEDULED, places_left__gt=0)
    page = numbered_page(request, rows, size=PAGE_SIZE)
    return render(
        request,
        "training/sessions.html",
        {
            "filters": filters,
            "past": past,
            "page": page,
            "sessions": page.rows,
            "can_manage": manages_training(request.user),
            "can_book": can(request.user, Perm.TRAINING_BOOK),
        },
    )


@require(Perm.TRAINING, shows_personal_data=True)
def session_detail(request, pk):
    session = get_session_for_user(request.user, pk)
    session = with_places(
        sessions_visible_to(request.user).select_related("course", "trainer")
    ).get(pk=session.pk)
    visible = list(
        bookings_visible_to(request.user)
        .filter(session=session)
        .exclude(status=Booking.Status.CANCELLED)
        .select_related("trainee__team__area", "trainee__job_role")
        .order_by("joined_at", "id")
    )
    upcoming = session.starts_at > timezone.now()
    scheduled = session.status == Session.Status.SCHEDULED
    linkable = set(
        trainees_visible_to(request.user)
        .filter(pk__in={b.trainee_id for b in visible})
        .values_list("pk", flat=True)
    )
    for booking in visible:
        booking.session = session
        booking.linkable = booking.trainee_id in linkable
        booking.cancellable = scheduled and upcoming and may_change_booking(request.user, booking)
    booked = [b for b in visible if b.status in Booking.HOLDS_PLACE]
    waiting = [b for b in visible if b.status == Booking.Status.WAITING]
    # The names of the people booked are personal data: the view of them is recorded.
    request.audit.consulted(session)
    return render(
        request,
        "training/session_detail.html",
        {
            "session": session,
            "booked": booked,
            "waiting": waiting,
            "upcoming": upcoming,
            "scheduled": scheduled,
            "sees_everyone": manages_training(request.user),
            "can_manage": manages_training(request.user),
            "can_book": can(request.user, Perm.TRAINING_BOOK) and upcoming and scheduled,
            "can_record_attendance": scheduled and may_record_attendance(request.user, session),
        },
    )


@require(Perm.TRAINING_MANAGE)
def session_new(request):
    initial = {}
    course_pk = request.GET.get("course", "")
    if course_pk.isdigit():
        course = courses_visible_to(request.user).filter(pk=course_pk, active=True).first()
        if course is not None:
            initial["course"] = course.pk
    form = SessionForm(request.POST or None, initial=initial)
    created = {}

    def call(data):
        created["session"] = services.session_create(
            course=data["course"],
            by=request.user,
            starts_at=form.starts_at,
            venue=data["venue"],
            online_link=data["online_link"],
            trainer=data["trainer"],
            trainer_name=data["trainer_name"],
            capacity=data["capacity"],
            notes=data["notes"],
        )

    saved, form = _save(request, form, call)
    if saved:
        session = created["session"]
        messages.success(request, f"Session {session.reference} added to the programme.")
        return redirect("training:session_detail", pk=session.pk)
    return render(
        request,
        "training/session_form.html",
        {"form": form, "title": "Add a session", "back_url": reverse("training:sessions")},
    )


@require(Perm.TRAINING_MANAGE)
def session_edit(request, pk):
    session = get_session_for_user(request.user, pk, write=True)
    form = SessionEditForm(request.POST or None, initial=SessionEditForm.initial_for(session))

    def call(data):
        services.session_update(
            session=session,
            by=request.user,
            version=data["version"],
            starts_at=form.starts_at,
            venue=data["venue"],
            online_link=data["online_link"],
            trainer=data["trainer"],
            trainer_name=data["trainer_name"],
            capacity=data["capacity"],
            notes=data["notes"],
        )

    saved, form = _save(request, form, call, record=session)
    if saved:
        messages.success(request, f"Session {session.reference} saved.")
        return redirect("training:session_detail", pk=session.pk)
    return render(
        request,
        "training/session_form.html",
        {
            "form": form,
            "session": session,
            "title": "Change the session",
            "back_url": reverse("training:session_detail", args=[session.pk]),
        },
    )


@require(Perm.TRAINING_MANAGE)
def session_cancel(request, pk):
    session = get_session_for_user(request.user, pk, write=True)
    form = SessionCancelForm(request.POST or None, initial={"version": session.version})

    def call(data):
        services.session_cancel(
            session=session, by=request.user, reason=data["reason"], version=data["version"]
        )

    saved, form = _save(request, form, call, record=session)
    if saved:
        messages.success(
            request,
            f"Session {session.reference} cancelled. The people booked or waiting, and whoever "
            "booked them, are told by email.",
        )
        return redirect("training:session_detail", pk=session.pk)
    affected = session.bookings.filter(
        status__in=[Booking.Status.BOOKED, Booking.Status.WAITING]
    ).values_list("status", flat=True)
    statuses = list(affected)
    return render(
        request,
        "training/session_cancel.html",
        {
            "form": form,
            "session": session,
            "booked_count": statuses.count(Booking.Status.BOOKED),
            "waiting_count": statuses.count(Booking.Status.WAITING),
        },
    )


urlpatterns = [
    path("sessions/", sessions, name="sessions"),
    path("sessions/new/", session_new, name="session_new"),
    path("sessions/<int:pk>/", session_detail, name="session_detail"),
    path("sessions/<int:pk>/change/", session_edit, name="session_edit"),
    path("sessions/<int:pk>/cancel/", session_cancel, name="session_cancel"),
]
