"""The officer list: importing it from the force's CSV, browsing it, one officer's training record,
and a supervisor's team.

Who may use these views (``training.access``):
- ``officer_import``, ``officer_import_detail`` and ``officers``: the coordinator and tactical lead
  (``Perm.TRAINING_MANAGE``).
- ``officer_detail``: anyone in the training area whom ``get_trainee_for_user`` lets see the
  trainee (managers, the trainee's supervisor, the trainee themself); 404 for anyone else.
- ``my_team``: supervisors (``Perm.TRAINING_BOOK``), showing the trainees whose supervisor they
  are on the officer list.
"""

from __future__ import annotations

from django.contrib import messages
from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils import timezone

from stalking_clinic.access import Perm, can, require
from stalking_clinic.paging import numbered_page

from ..access import (
    bookable_trainees,
    get_trainee_for_user,
    team_of,
    trainee_of,
    trainees_visible_to,
)
from ..forms.roster import OfficerFilterForm, OfficerImportForm, OfficerSearchForm, TeamFilterForm
from ..models import Booking, OfficerImport, Session, Trainee, normalise_collar_number
from ..selectors.compliance import (
    Standing,
    is_mandatory_for,
    mandatory_courses,
    needs_training,
    standings_for,
)
from ..services.roster import officer_list_import
from .saving import save

PAGE_SIZE = 50
RECENT_IMPORTS = 10
ERRORS_SHOWN = 500
SEARCH_KEY = "training_officer_search"


# --- importing the officer list ------------------------------------------------------------------


@require(Perm.TRAINING_MANAGE)
def officer_import(request):
    posted = request.method == "POST"  # bound even with nothing chosen, to say so
    form = OfficerImportForm(request.POST if posted else None, request.FILES if posted else None)
    done = {}

    def call(data):
        upload = data["file"]
        done["import"] = officer_list_import(
            file=upload, filename=upload.name, by=request.user, full_list=data["full_list"]
        )

    saved, form = save(request, form, call)
    if saved:
        result = done["import"]
        messages.success(request, f"Officer list imported: {_summary(result)}.")
        return redirect("training:officer_import_detail", pk=result.pk)
    imports = OfficerImport.objects.select_related("uploaded_by")[:RECENT_IMPORTS]
    return render(request, "training/roster_import.html", {"form": form, "imports": imports})


def _summary(result: OfficerImport) -> str:
    parts = [
        f"{result.created} added",
        f"{result.updated} updated",
        f"{result.unchanged} unchanged",
    ]
    if result.deactivated:
        parts.append(f"{result.deactivated} no longer on the list")
    if result.errors:
        parts.append(f"{len(result.errors)} row{'s' if len(result.errors) != 1 else ''} not loaded")
    return ", ".join(parts)


@require(Perm.TRAINING_MANAGE)
def officer_import_detail(request, pk):
    result = get_object_or_404(OfficerImport.objects.select_related("uploaded_by"), pk=pk)
    return render(
        request,
        "training/roster_import_detail.html",
        {
            "result": result,
            "errors": result.errors[:ERRORS_SHOWN],
            "errors_shown": ERRORS_SHOWN,
        },
    )


# --- the officer list ----------------------------------------------------------------------------


def _filtered_officers(queryset: QuerySet[Trainee], data: dict, search: str, courses) -> QuerySet:
    if data.get("area"):
        queryset = queryset.filter(team__area=data["area"])
    if data.get("team"):
        queryset = queryset.filter(team=data["team"])
    if data.get("role"):
        queryset = queryset.filter(job_role=data["role"])
    status = data.get("status") or "active"
    if status != "all":
        queryset = queryset.filter(active=status == "active")
    if data.get("needs_training"):
        if not courses:
            return queryset.none()
        queryset = queryset.filter(needs_training(courses, timezone.localdate()))
    if search:
        collar = normalise_collar_number(search)
        queryset = queryset.filter(
            Q(name__icontains=search.strip()) | Q(collar_number__icontains=collar)
        )
    return queryset


@require(Perm.TRAINING_MANAGE)
def officers(request):
    if request.method == "POST":
        # A name searched for goes through the session, never the address (which servers log).
        if "clear" in request.POST:
            request.session.pop(SEARCH_KEY, None)
        else:
            search_form = OfficerSearchForm(request.POST)
            if search_form.is_valid():
                request.session[SEARCH_KEY] = search_form.cleaned_data["search"]
        return redirect(request.get_full_path())
    search = request.session.get(SEARCH_KEY, "")
    filters = OfficerFilterForm(request.GET or None)
    data = filters.cleaned_data if filters.is_valid() else {}
    courses = mandatory_courses()
    queryset = _filtered_officers(
        trainees_visible_to(request.user).select_related("team__area", "job_role", "supervisor"),
        data,
        search,
        courses,
    ).order_by("name", "collar_number")
    page = numbered_page(request, queryset, size=PAGE_SIZE)
    rows = page.rows
    standings = standings_for(rows, courses=courses)
    for trainee in rows:
        mine = standings.get(trainee.pk, [])
        trainee.mandatory_count = len(mine)
        trainee.needing = [standing for standing in mine if standing.standing.needs_booking]
    return render(
        request,
        "training/officer_list.html",
        {
            "filters": filters,
            "search_form": OfficerSearchForm(initial={"search": search}),
            "search": search,
            "page": page,
            "officers": rows,
        },
    )


# --- one officer's training record ---------------------------------------------------------------


@require(Perm.TRAINING, shows_personal_data=True)
def officer_detail(request, pk):
    trainee = get_trainee_for_user(request.user, pk)
    courses = mandatory_courses()
    standings = standings_for([trainee], courses=courses)[trainee.pk]
    bookings = list(
        trainee.bookings.select_related("session__course").order_by("-session__starts_at", "-id")
    )
    now = timezone.now()
    upcoming = {}
    for booking in reversed(bookings):  # soonest first
        if (
            booking.status in (Booking.Status.BOOKED, Booking.Status.WAITING)
            and booking.session.status == Session.Status.SCHEDULED
            and booking.session.starts_at >= now
        ):
            upcoming.setdefault(booking.session.course_id, booking)
    may_book = trainee.active and bookable_trainees(request.user).filter(pk=trainee.pk).exists()
    rows = [
        {
            "standing": standing,
            "booking": upcoming.get(standing.course.pk),
            "book": may_book
            and standing.standing.needs_booking
            and standing.course.pk not in upcoming,
        }
        for standing in standings
    ]
    request.audit.consulted(trainee)
    return render(
        request,
        "training/officer_detail.html",
        {
            "trainee": trainee,
            "rows": rows,
            "bookings": bookings,
            "is_me": trainee == trainee_of(request.user),
            "can_manage": can(request.user, Perm.TRAINING_MANAGE),
        },
    )


# --- a supervisor's team -------------------------------------------------------------------------


@require(Perm.TRAINING_BOOK)
def my_team(request):
    me = trainee_of(request.user)
    filters = TeamFilterForm(request.GET or None)
    only_needing = filters.is_valid() and filters.cleaned_data["show"] == "needs_booking"
    team = list(team_of(request.user).select_related("team__area", "job_role"))
    courses = mandatory_courses() if team else []
    # Only the courses mandatory for someone in the team make columns.
    courses = [course for course in courses if any(is_mandatory_for(course, t) for t in team)]
    standings = standings_for(team, courses=courses)
    upcoming = {}
    for booking in (
        Booking.objects.filter(
            trainee__in=team_of(request.user),
            status__in=[Booking.Status.BOOKED, Booking.Status.WAITING],
            session__status=Session.Status.SCHEDULED,
            session__starts_at__gte=timezone.now(),
        )
        .select_related("session")
        .order_by("session__starts_at", "joined_at")
    ):
        upcoming.setdefault((booking.trainee_id, booking.session.course_id), booking)

    totals = {course.pk: {"untrained": 0, "refresh": 0, "booked": 0} for course in courses}
    rows = []
    for trainee in team:
        by_course = {standing.course.pk: standing for standing in standings[trainee.pk]}
        cells = []
        for course in courses:
            standing = by_course.get(course.pk)
            booking = upcoming.get((trainee.pk, course.pk))
            if standing is not None:
                count = totals[course.pk]
                if standing.standing is Standing.UNTRAINED:
                    count["untrained"] += 1
                elif standing.standing.needs_booking:
                    count["refresh"] += 1
                if booking is not None:
                    count["booked"] += 1
            cells.append(
                {
                    "course": course,
                    "standing": standing,
                    "booking": booking,
                    "needs_booking": standing is not None
                    and standing.standing.needs_booking
                    and booking is None,
                }
            )
        needing = sum(cell["needs_booking"] for cell in cells)
        rows.append({"trainee": trainee, "cells": cells, "needing": needing})
    needing_total = sum(1 for row in rows if row["needing"])
    rows.sort(key=lambda row: (not row["needing"], row["trainee"].name))
    if only_needing:
        rows = [row for row in rows if row["needing"]]
    summary = [
        {"course": course, **totals[course.pk]}
        for course in courses
        if totals[course.pk]["untrained"] or totals[course.pk]["refresh"]
    ]
    return render(
        request,
        "training/my_team.html",
        {
            "me": me,
            "filters": filters,
            "team_size": len(team),
            "courses": courses,
            "rows": rows,
            "summary": summary,
            "needing_total": needing_total,
            "only_needing": only_needing,
        },
    )


urlpatterns = [
    path("officers/", officers, name="officers"),
    path("officers/<int:pk>/", officer_detail, name="officer_detail"),
    path("officers/import/", officer_import, name="officer_import"),
    path("officers/imports/<int:pk>/", officer_import_detail, name="officer_import_detail"),
    path("my-team/", my_team, name="my_team"),
]
