"""The CPD log of the clinic's staff.

Who may use these views (``Perm.CPD``, clinic staff): each person sees, adds, changes and deletes
their own entries. The coordinator and tactical lead also see everyone's, to support
supervision: a filter by person and each person's hours in the last 12 months. Nobody changes
another person's entries (403 for one they can see, 404 for one they cannot).
"""

from __future__ import annotations

import datetime
import decimal

from django.contrib import messages
from django.db.models import Count, Q, Sum
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone

from stalking_clinic.access import Perm, require
from stalking_clinic.access.rules import ROLE_PERMISSIONS
from stalking_clinic.accounts.models import User
from stalking_clinic.paging import numbered_page
from stalking_clinic.services import ChangedByAnotherUser

from ..access import cpd_entries_visible_to, get_cpd_entry_for_user, manages_training
from ..forms.cpd import CPDDeleteForm, CPDEntryEditForm, CPDEntryForm
from ..services.cpd import cpd_create, cpd_update
from ..services.cpd import cpd_delete as cpd_delete_entry
from .saving import save

PAGE_SIZE = 25


def _year_ago() -> datetime.date:
    today = timezone.localdate()
    return today - datetime.timedelta(days=365)


def _staff_totals(since: datetime.date) -> list[User]:
    """Every active member of staff who keeps a CPD log, with their entries and hours in the
    last 12 months (one query)."""
    roles = [str(role) for role in ROLE_PERMISSIONS[Perm.CPD]]
    recent = Q(cpd_entries__done_on__gte=since)
    return list(
        User.objects.filter(is_active=True, roles__overlap=roles)
        .annotate(
            recent_hours=Sum("cpd_entries__hours", filter=recent),
            recent_entries=Count("cpd_entries", filter=recent),
        )
        .order_by("first_name", "last_name", "username")
    )


def _chosen_person(request, staff: list[User]) -> User | None:
    """The person picked with ``?user=<id>`` (managers only); None: the user's own log."""
    raw = request.GET.get("user", "")
    if not raw.isdigit():
        return None
    return next((person for person in staff if person.pk == int(raw)), None)


@require(Perm.CPD)
def cpd(request):
    user = request.user
    since = _year_ago()
    manager = manages_training(user)
    staff = _staff_totals(since) if manager else []
    person = (_chosen_person(request, staff) if manager else None) or user
    entries = cpd_entries_visible_to(user).filter(user=person).order_by("-done_on", "-id")
    totals = entries.aggregate(
        hours=Sum("hours", filter=Q(done_on__gte=since)),
        count=Count("pk", filter=Q(done_on__gte=since)),
    )
    page = numbered_page(request, entries, size=PAGE_SIZE)
    if person.pk != user.pk:
        # Another person's log: a manager reading a colleague's development record.
        request.audit.consulted(person)
    return render(
        request,
        "training/cpd.html",
        {
            "person": person,
            "own": person.pk == user.pk,
            "page": page,
            "recent_hours": totals["hours"] or decimal.Decimal("0"),
            "recent_count": totals["count"],
            "since": since,
            "staff": staff,
            "manager": manager,
        },
    )


@require(Perm.CPD)
def cpd_new(request):
    form = CPDEntryForm(request.POST or None)

    def call(data):
        cpd_create(
            by=request.user,
            done_on=data["done_on"],
            kind=data["kind"],
            title=data["title"],
            provider=data["provider"],
            hours=data["hours"],
            reflection=data["reflection"],
        )

    saved, form = save(request, form, call)
    if saved:
        messages.success(request, "Entry added to your CPD log.")
        return redirect("training:cpd")
    return render(request, "training/cpd_form.html", {"form": form, "title": "Add a CPD entry"})


@require(Perm.CPD)
def cpd_edit(request, pk):
    entry = get_cpd_entry_for_user(request.user, pk, write=True)
    form = CPDEntryEditForm(request.POST or None, initial=CPDEntryEditForm.initial_for(entry))

    def call(data):
        cpd_update(
            entry=entry,
            by=request.user,
            version=data["version"],
            done_on=data["done_on"],
            kind=data["kind"],
            title=data["title"],
            provider=data["provider"],
            hours=data["hours"],
            reflection=data["reflection"],
        )

    saved, form = save(request, form, call, record=entry)
    if saved:
        messages.success(request, "CPD entry saved.")
        return redirect("training:cpd")
    return render(
        request,
        "training/cpd_form.html",
        {"form": form, "entry": entry, "title": "Change a CPD entry"},
    )


@require(Perm.CPD)
def cpd_delete(request, pk):
    entry = get_cpd_entry_for_user(request.user, pk, write=True)
    form = CPDDeleteForm(request.POST or None, initial={"version": entry.version})
    error = ""
    if request.method == "POST":
        if form.is_valid():
            try:
                cpd_delete_entry(entry=entry, by=request.user, version=form.cleaned_data["version"])
            except ChangedByAnotherUser as refused:
                error = refused.message
                entry.refresh_from_db()
                form = CPDDeleteForm(initial={"version": entry.version})
            else:
                messages.success(request, f"“{entry.title}” deleted from your CPD log.")
                return redirect("training:cpd")
        else:
            error = "This page is out of date. Go back to your CPD log and try again."
    return render(
        request, "training/cpd_delete.html", {"entry": entry, "form": form, "error": error}
    )


urlpatterns = [
    path("cpd/", cpd, name="cpd"),
    path("cpd/new/", cpd_new, name="cpd_new"),
    path("cpd/<int:pk>/edit/", cpd_edit, name="cpd_edit"),
    path("cpd/<int:pk>/delete/", cpd_delete, name="cpd_delete"),
]
