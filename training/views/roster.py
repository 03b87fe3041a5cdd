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

from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse

from stalking_clinic.access import POSTS, Perm, can, require
from stalking_clinic.paging import numbered_page

from ..access import get_trainee_for_user, trainee_of
from ..forms.roster import OfficerFilterForm, OfficerImportForm, OfficerSearchForm, TeamFilterForm
from ..models import OfficerImport
from ..selectors.compliance import mandatory_courses
from ..selectors.roster import officer_list, officer_record, recent_imports, team_page, with_needs
from ..services import roster as services
from .pages import form_page

PAGE_SIZE = 50
ERRORS_SHOWN = 500
SEARCH_KEY = "training_officer_search"


# --- importing the officer list ------------------------------------------------------------------


@require(Perm.TRAINING_MANAGE, methods=POSTS)
def officer_import(request):
    posted = request.method == "POST"  # bound even with nothing chosen, to say so
    return form_page(
        request,
        OfficerImportForm(request.POST if posted else None, request.FILES if posted else None),
        services.officer_list_import,
        done=lambda result: f"Officer list imported: {_summary(result)}.",
        then=lambda result: reverse("training:officer_import_detail", args=[result.pk]),
        template="training/roster_import.html",
        context=lambda: {"imports": recent_imports()},
    )


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


@require(Perm.TRAINING_MANAGE, methods=POSTS)
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
    page = numbered_page(request, officer_list(request.user, data, search, courses), size=PAGE_SIZE)
    with_needs(page.rows, courses)
    return render(
        request,
        "training/officer_list.html",
        {
            "filters": filters,
            "search_form": OfficerSearchForm(initial={"search": search}),
            "search": search,
            "page": page,
            "officers": page.rows,
        },
    )


# --- one officer's training record ---------------------------------------------------------------


@require(Perm.TRAINING, shows_personal_data=True)
def officer_detail(request, pk):
    trainee = get_trainee_for_user(request.user, pk)
    record = officer_record(request.user, trainee)
    request.audit.consulted(trainee)
    return render(
        request,
        "training/officer_detail.html",
        {
            "trainee": trainee,
            **record,
            "is_me": trainee == trainee_of(request.user),
            "can_manage": can(request.user, Perm.TRAINING_MANAGE),
        },
    )


# --- a supervisor's team -------------------------------------------------------------------------


@require(Perm.TRAINING_BOOK)
def my_team(request):
    filters = TeamFilterForm(request.GET or None)
    only_needing = filters.is_valid() and filters.cleaned_data["show"] == "needs_booking"
    return render(
        request,
        "training/my_team.html",
        {
            "me": trainee_of(request.user),
            "filters": filters,
            **team_page(request.user, only_needing=only_needing),
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
