"""The programme of sessions: the list, a session's page, scheduling, changing and cancelling.

Who may use these views (``training.access``):
- ``sessions`` and ``session_detail``: everyone in the training area (``Perm.TRAINING``). On a
  session's page each sees only the bookings they may see (``bookings_visible_to``): managers
  everyone's, a supervisor their team's, an officer their own, the trainer those on their session.
- ``session_new``, ``session_edit`` and ``session_cancel``: the coordinator and the tactical lead
  (``Perm.TRAINING_MANAGE``); anyone else gets 403.
"""

from __future__ import annotations

from django.shortcuts import render
from django.urls import path, reverse
from django.utils import timezone

from stalking_clinic.access import POSTS, Perm, can, require
from stalking_clinic.paging import numbered_page

from ..access import (
    courses_visible_to,
    get_session_for_user,
    manages_training,
    may_record_attendance,
)
from ..forms.courses import SessionCancelForm, SessionEditForm, SessionFilterForm, SessionForm
from ..selectors.sessions import bookings_to_cancel, programme, session_page
from ..services import courses as services
from .pages import form_page

PAGE_SIZE = 25


def _session_url(session) -> str:
    return reverse("training:session_detail", args=[session.pk])


@require(Perm.TRAINING)
def sessions(request):
    filters = SessionFilterForm(request.GET or None)
    data = {}
    if filters.is_bound:
        filters.is_valid()
        data = filters.cleaned_data  # the filters that were valid; a bad one is ignored
    page = numbered_page(request, programme(request.user, data, now=timezone.now()), size=PAGE_SIZE)
    return render(
        request,
        "training/sessions.html",
        {
            "filters": filters,
            "past": data.get("when") == "past",
            "page": page,
            "sessions": page.rows,
            "can_manage": manages_training(request.user),
            "can_book": can(request.user, Perm.TRAINING_BOOK),
        },
    )


@require(Perm.TRAINING, shows_personal_data=True)
def session_detail(request, pk):
    user = request.user
    page = session_page(user, get_session_for_user(user, pk))
    session, upcoming, scheduled = page["session"], page["upcoming"], page["scheduled"]
    # The names of the people booked are personal data: the view of them is recorded.
    request.audit.consulted(session)
    return render(
        request,
        "training/session_detail.html",
        {
            **page,
            "sees_everyone": manages_training(user),
            "can_manage": manages_training(user),
            "can_book": can(user, Perm.TRAINING_BOOK) and upcoming and scheduled,
            "can_record_attendance": scheduled and may_record_attendance(user, session),
        },
    )


@require(Perm.TRAINING_MANAGE, methods=POSTS)
def session_new(request):
    initial = {}
    course_pk = request.GET.get("course", "")
    if course_pk.isdigit():
        course = courses_visible_to(request.user).filter(pk=course_pk, active=True).first()
        if course is not None:
            initial["course"] = course.pk
    return form_page(
        request,
        SessionForm(request.POST or None, initial=initial),
        services.session_create,
        done=lambda session: f"Session {session.reference} added to the programme.",
        then=_session_url,
        template="training/session_form.html",
        context={"title": "Add a session", "back_url": reverse("training:sessions")},
    )


@require(Perm.TRAINING_MANAGE, methods=POSTS)
def session_edit(request, pk):
    session = get_session_for_user(request.user, pk, write=True)
    return form_page(
        request,
        SessionEditForm(request.POST or None, initial=SessionEditForm.initial_for(session)),
        services.session_update,
        session=session,
        record=session,
        done=f"Session {session.reference} saved.",
        then=_session_url,
        template="training/session_form.html",
        context={
            "session": session,
            "title": "Change the session",
            "back_url": _session_url(session),
        },
    )


@require(Perm.TRAINING_MANAGE, methods=POSTS)
def session_cancel(request, pk):
    session = get_session_for_user(request.user, pk, write=True)
    return form_page(
        request,
        SessionCancelForm(request.POST or None, initial={"version": session.version}),
        services.session_cancel,
        session=session,
        record=session,
        done=f"Session {session.reference} cancelled. The people booked or waiting, and whoever "
        "booked them, are told by email.",
        then=_session_url,
        template="training/session_cancel.html",
        context=lambda: {"session": session, **bookings_to_cancel(session)},
    )


urlpatterns = [
    path("sessions/", sessions, name="sessions"),
    path("sessions/new/", session_new, name="session_new"),
    path("sessions/<int:pk>/", session_detail, name="session_detail"),
    path("sessions/<int:pk>/change/", session_edit, name="session_edit"),
    path("sessions/<int:pk>/cancel/", session_cancel, name="session_cancel"),
]
