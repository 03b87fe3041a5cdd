"""Person pages: a victim's or suspect's details and every case they are in.

Who may use these views:
- ``person_detail``: those who see every case (coordinator, tactical lead, solicitor:
  ``Perm.PEOPLE_VIEW``), because a person page lists cases across the clinic.
- ``person_edit``: coordinator and tactical lead (``Perm.PEOPLE_EDIT``): they
  take referrals in and keep the people in them right. The solicitor reads but does not edit.
ISACs, officers and partner agencies never see person pages.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib import messages
from django.db.models import Count
from django.shortcuts import redirect, render
from django.urls import path

from stalking_clinic.access import Perm, can, require
from stalking_clinic.services import ChangedByAnotherUser, ServiceError

from ..access import get_person_for_user
from ..forms.people import PersonForm
from ..models import Case, Person
from ..services.people import person_update

# "Serial stalkers must stand out": a suspect in cases against this many different victims.
SERIAL_VICTIMS = 2


@dataclass(frozen=True)
class SuspectReach:
    """How far a suspect's stalking is known to reach across the clinic's cases."""

    person: Person
    cases: int
    victims: int

    @property
    def possible_serial(self) -> bool:
        return self.victims >= SERIAL_VICTIMS

    @property
    def other_cases(self) -> int:
        return max(self.cases - 1, 0)


def suspect_reach(people) -> dict[int, SuspectReach]:
    """Cases and distinct victims for each of ``people`` as a suspect, in one query."""
    people = {person.pk: person for person in people}
    counts = (
        Case.suspects.through.objects.filter(person_id__in=people)
        .values("person_id")
        .annotate(
            cases=Count("case_id", distinct=True), victims=Count("case__victim_id", distinct=True)
        )
    )
    reach = {pk: SuspectReach(person, 0, 0) for pk, person in people.items()}
    for row in counts:
        pk = row["person_id"]
        reach[pk] = SuspectReach(people[pk], row["cases"], row["victims"])
    return reach


@require(Perm.PEOPLE_VIEW, shows_personal_data=True)
def person_detail(request, pk):
    person = get_person_for_user(request.user, pk)
    as_victim = list(
        person.cases_as_victim.prefetch_related("suspects").order_by("-created_at", "-id")
    )
    as_suspect = list(person.cases_as_suspect.select_related("victim").order_by("-created_at"))
    victims = list({case.victim_id: case.victim for case in as_suspect}.values())
    suspects = {s.pk: s for case in as_victim for s in case.suspects.all()}
    reach = suspect_reach([person, *suspects.values()])
    request.audit.consulted(person)
    return render(
        request,
        "referrals/people/detail.html",
        {
            "person": person,
            "reach": reach[person.pk],
            "cases_as_victim": [
                (case, [reach[s.pk] for s in case.suspects.all()]) for case in as_victim
            ],
            "cases_as_suspect": as_suspect,
            "victims": victims,
            "can_edit": can(request.user, Perm.PEOPLE_EDIT),
        },
    )


# No Perm of its own yet: the triage roles are exactly the people who should edit a person.
@require(Perm.PEOPLE_EDIT, shows_personal_data=True)
def person_edit(request, pk):
    person = get_person_for_user(request.user, pk)
    saved_now = None  # the details as someone else saved them, shown after a refused save
    if request.method == "POST":
        form = PersonForm(request.POST)
        if form.is_valid():
            data = dict(form.cleaned_data)
            expected = data.pop("updated_at")
            try:
                person_update(person=person, expected_updated_at=expected, by=request.user, **data)
            except ChangedByAnotherUser as error:
                person.refresh_from_db()
                saved_now = person
                # Keep what the user typed, against the version they have now been shown.
                fresh = request.POST.copy()
                fresh["updated_at"] = person.updated_at.isoformat()
                form = PersonForm(fresh)
                form.is_valid()
                form.add_error(None, error.message)
            except ServiceError as error:
                form.add_error(error.field, error.message)
            else:
                messages.success(request, "Details saved.")
                return redirect("referrals:person_detail", pk=person.pk)
    else:
        form = PersonForm(initial=PersonForm.initial_for(person))
    request.audit.consulted(person)
    return render(
        request,
        "referrals/people/form.html",
        {"person": person, "form": form, "saved_now": saved_now},
    )


urlpatterns = [
    path("people/<int:pk>/", person_detail, name="person_detail"),
    path("people/<int:pk>/edit/", person_edit, name="person_edit"),
]


def case_panel(case: Case, *, user) -> dict:
    """Each suspect's other cases, so the case page can tag a possible serial stalker.

    Only for those who may see person pages: the count itself says other cases exist.
    One query (the suspects are prefetched by ``get_case_for_user``).
    """
    if not can(user, Perm.PEOPLE_VIEW):
        return {}
    reach = suspect_reach(case.suspects.all())
    suspects = list(reach.values())
    serial = [row for row in suspects if row.possible_serial]
    return {
        "can_view_people": True,
        "suspects": suspects,
        "possible_serial": serial,
        "serial_suspect_ids": {row.person.pk for row in serial},
    }
