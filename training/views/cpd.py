"""The CPD log of the clinic's staff.

Who may use these views (``Perm.CPD``, clinic staff): each person sees, adds, changes and deletes
their own entries. The coordinator and tactical lead also see everyone's, to support
supervision: a filter by person and each person's hours in the last 12 months. Nobody changes
another person's entries (403 for one they can see, 404 for one they cannot).
"""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import path

from stalking_clinic.access import POSTS, Perm, require
from stalking_clinic.paging import numbered_page
from stalking_clinic.service_forms import save_through_service

from ..access import get_cpd_entry_for_user
from ..forms.cpd import CPDDeleteForm, CPDEntryEditForm, CPDEntryForm
from ..selectors.cpd import cpd_log
from ..services import cpd as services
from .pages import form_page

PAGE_SIZE = 25


@require(Perm.CPD)
def cpd(request):
    log = cpd_log(request.user, asked=request.GET.get("user", ""))
    page = numbered_page(request, log.pop("entries"), size=PAGE_SIZE)
    if not log["own"]:
        # Another person's log: a manager reading a colleague's development record.
        request.audit.consulted(log["person"])
    return render(request, "training/cpd.html", {"page": page, **log})


@require(Perm.CPD, methods=POSTS)
def cpd_new(request):
    return form_page(
        request,
        CPDEntryForm(request.POST or None),
        services.cpd_create,
        done="Entry added to your CPD log.",
        then="training:cpd",
        template="training/cpd_form.html",
        context={"title": "Add a CPD entry"},
    )


@require(Perm.CPD, methods=POSTS)
def cpd_edit(request, pk):
    entry = get_cpd_entry_for_user(request.user, pk, write=True)
    return form_page(
        request,
        CPDEntryEditForm(request.POST or None, initial=CPDEntryEditForm.initial_for(entry)),
        services.cpd_update,
        entry=entry,
        record=entry,
        done="CPD entry saved.",
        then="training:cpd",
        template="training/cpd_form.html",
        context={"entry": entry, "title": "Change a CPD entry"},
    )


@require(Perm.CPD, methods=POSTS)
def cpd_delete(request, pk):
    entry = get_cpd_entry_for_user(request.user, pk, write=True)
    form = CPDDeleteForm(request.POST or None, initial={"version": entry.version})
    outcome = save_through_service(
        request, form, services.cpd_delete, entry=entry, by=request.user, record=entry
    )
    if outcome.saved:
        messages.success(request, f"“{entry.title}” deleted from your CPD log.")
        return redirect("training:cpd")
    return render(request, "training/cpd_delete.html", {"entry": entry, "form": outcome.form})


urlpatterns = [
    path("cpd/", cpd, name="cpd"),
    path("cpd/new/", cpd_new, name="cpd_new"),
    path("cpd/<int:pk>/edit/", cpd_edit, name="cpd_edit"),
    path("cpd/<int:pk>/delete/", cpd_delete, name="cpd_delete"),
]
