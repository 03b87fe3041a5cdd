"""The course catalogue: the list, a course's page, adding and changing a course.

Who may use these views (``training.access``):
- ``courses`` and ``course_detail``: everyone in the training area (``Perm.TRAINING``).
- ``course_new`` and ``course_edit``: the coordinator and the tactical lead
  (``Perm.TRAINING_MANAGE``); anyone else gets 403.
"""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.db.models import Count, Prefetch, Q
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone

from stalking_clinic.access import Perm, can, require

from ..access import courses_visible_to, get_course_for_user, manages_training, sessions_visible_to
from ..forms.courses import CourseEditForm, CourseForm
from ..models import Booking, Session, Team
from ..selectors.sessions import with_places
from ..services import courses as services
from .saving import save

PAST_SESSIONS_DAYS = 365


def duration_label(minutes: int) -> str:
    """ "3 hours", "1 hour 30 minutes", "45 minutes"."""
    hours, rest = divmod(minutes, 60)
    parts = []
    if hours:
        parts.append(f"{hours} hour{'s' if hours != 1 else ''}")
    if rest:
        parts.append(f"{rest} minute{'s' if rest != 1 else ''}")
    return " ".join(parts)


@require(Perm.TRAINING)
def courses(request):
    now = timezone.now()
    manager = manages_training(request.user)
    rows = (
        courses_visible_to(request.user)
        .annotate(
            upcoming_sessions=Count(
                "sessions",
                filter=Q(sessions__status=Session.Status.SCHEDULED, sessions__starts_at__gte=now),
            )
        )
        .prefetch_related(
            "mandatory_roles",
            Prefetch("mandatory_teams", queryset=Team.objects.select_related("area")),
        )
        .order_by("-active", "title")
    )
    if not manager:
        rows = rows.filter(active=True)
    rows = list(rows)
    for course in rows:
        course.duration_label = duration_label(course.duration_minutes)
    return render(request, "training/courses.html", {"courses": rows, "can_manage": manager})


@require(Perm.TRAINING)
def course_detail(request, pk):
    course = get_course_for_user(request.user, pk)
    now = timezone.now()
    sessions = with_places(
        sessions_visible_to(request.user).filter(course=course).select_related("trainer")
    )
    upcoming = list(
        sessions.filter(starts_at__gte=now, status=Session.Status.SCHEDULED).order_by(
            "starts_at", "id"
        )
    )
    past = list(
        sessions_visible_to(request.user)
        .filter(
            course=course,
            starts_at__lt=now,
            starts_at__gte=now - datetime.timedelta(days=PAST_SESSIONS_DAYS),
        )
        .select_related("trainer")
        .annotate(attended=Count("bookings", filter=Q(bookings__status=Booking.Status.ATTENDED)))
        .order_by("-starts_at", "-id")
    )
    course.duration_label = duration_label(course.duration_minutes)
    teams = list(course.mandatory_teams.select_related("area").order_by("area__name", "name"))
    return render(
        request,
        "training/course_detail.html",
        {
            "course": course,
            "roles": list(course.mandatory_roles.order_by("name")),
            "teams": teams,
            "upcoming": upcoming,
            "past": past,
            "can_manage": manages_training(request.user),
            "can_book": can(request.user, Perm.TRAINING_BOOK),
        },
    )


@require(Perm.TRAINING_MANAGE)
def course_new(request):
    form = CourseForm(request.POST or None, initial={"kind": "mandatory"})
    created = {}

    def call(data):
        created["course"] = services.course_create(
            by=request.user,
            title=data["title"],
            kind=data["kind"],
            audience=data["audience"],
            description=data["description"],
            duration_minutes=data["duration_minutes"],
            refresh_months=data["refresh_months"],
            mandatory_roles=data["mandatory_roles"],
            mandatory_teams=data["mandatory_teams"],
        )

    saved, form = save(request, form, call)
    if saved:
        course = created["course"]
        messages.success(request, f"Course added: {course.title}.")
        return redirect("training:course_detail", pk=course.pk)
    return render(
        request,
        "training/course_form.html",
        {"form": form, "title": "Add a course", "back_url": reverse("training:courses")},
    )


@require(Perm.TRAINING_MANAGE)
def course_edit(request, pk):
    course = get_course_for_user(request.user, pk, write=True)
    form = CourseEditForm(request.POST or None, initial=CourseEditForm.initial_for(course))
    updated = {}

    def call(data):
        updated["course"] = services.course_update(
            course=course,
            by=request.user,
            version=data["version"],
            title=data["title"],
            kind=data["kind"],
            audience=data["audience"],
            description=data["description"],
            duration_minutes=data["duration_minutes"],
            refresh_months=data["refresh_months"],
            mandatory_roles=data["mandatory_roles"],
            mandatory_teams=data["mandatory_teams"],
            active=data["active"],
        )

    saved, form = save(request, form, call, record=course)
    if saved:
        messages.success(request, f"Course saved: {updated['course'].title}.")
        return redirect("training:course_detail", pk=course.pk)
    return render(
        request,
        "training/course_form.html",
        {
            "form": form,
            "course": course,
            "title": "Change the course",
            "back_url": reverse("training:course_detail", args=[course.pk]),
        },
    )


urlpatterns = [
    path("courses/", courses, name="courses"),
    path("courses/new/", course_new, name="course_new"),
    path("courses/<int:pk>/", course_detail, name="course_detail"),
    path("courses/<int:pk>/change/", course_edit, name="course_edit"),
]
