"""Reads about people: how far a suspect's stalking reaches across the clinic's cases (possible
serial stalkers), a person's page and the case page's suspects panel."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count

from stalking_clinic.access import Perm, can

from ..models import Case, Person

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


def person_page(person: Person, *, user) -> dict:
    """A person's page: the cases they are in as a victim (with how far each suspect reaches) and
    as a suspect (with their victims), and whether ``user`` may change their details."""
    as_victim = list(
        person.cases_as_victim.prefetch_related("suspects").order_by("-created_at", "-id")
    )
    as_suspect = list(person.cases_as_suspect.select_related("victim").order_by("-created_at"))
    victims = list({case.victim_id: case.victim for case in as_suspect}.values())
    suspects = {s.pk: s for case in as_victim for s in case.suspects.all()}
    reach = suspect_reach([person, *suspects.values()])
    return {
        "person": person,
        "reach": reach[person.pk],
        "cases_as_victim": [
            (case, [reach[s.pk] for s in case.suspects.all()]) for case in as_victim
        ],
        "cases_as_suspect": as_suspect,
        "victims": victims,
        "can_edit": can(user, Perm.PEOPLE_EDIT),
        "can_see_access_log": can(user, Perm.ACCESS_LOG_VIEW),
    }


def people_panel(case: Case, *, user) -> dict:
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
