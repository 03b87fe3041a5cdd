"""Reads about referrals: the triage queue (filters, name search, how long each has waited), who
may be given a referral, the referrals a user made and a referral's page."""

from __future__ import annotations

import re

from django.conf import settings
from django.db.models import Q, QuerySet
from django.utils import timezone

from stalking_clinic.access import Perm, can
from stalking_clinic.accounts.models import Role, User

from ..access import cases_visible_to
from ..models import Person, Referral, RiskAssessment
from ..models.choices import RISK_RANK
from ..working_days import working_days_between

PAGE_SIZE = 50
# A name search matching more people than this is too broad to be useful; it shows the first ones.
NAME_MATCH_LIMIT = 1000
# "My referrals" shows the latest this many.
MINE_LIMIT = 200

_REFERRAL_REF = re.compile(r"^R-?0*(\d+)$", re.IGNORECASE)
_CASE_REF = re.compile(r"^C-?0*(\d+)$", re.IGNORECASE)
_PERSON_REF = re.compile(r"^P\d+$", re.IGNORECASE)


def referral_queue(
    referrals: QuerySet[Referral],
    *,
    status: str = "",
    risk: str = "",
    area: str = "",
    source: str = "",
    assigned_to=None,
    search: str = "",
) -> QuerySet[Referral]:
    """Filtered referrals in queue order: highest risk first, then the longest waiting."""
    if status != "all":
        referrals = referrals.filter(status=status or Referral.Status.WAITING)
    if risk:
        # risk_rank mirrors risk_level and is in the queue's index: page and count use it.
        referrals = referrals.filter(risk_rank=RISK_RANK["" if risk == "none" else risk])
    if area:
        referrals = referrals.filter(area=area)
    if source:
        referrals = referrals.filter(source=source)
    if assigned_to:
        referrals = referrals.filter(assigned_to=assigned_to)
    if search:
        referrals = referrals.filter(_search_q(search))
    return referrals.select_related("victim", "suspect", "assigned_to", "linked_case").order_by(
        "-risk_rank", "submitted_at", "id"
    )


def _search_q(term: str) -> Q:
    term = term.strip()
    if match := _REFERRAL_REF.match(term):
        return Q(pk=int(match[1]))
    if match := _CASE_REF.match(term):
        return Q(linked_case_id=int(match[1]))
    if _PERSON_REF.match(term):
        ref = term.upper()
        return Q(victim__person_ref=ref) | Q(suspect__person_ref=ref)
    # A name: find the people first (every word must match the same person), then their
    # referrals through the victim and suspect indexes. Measured at 100,000 referrals: ~1 ms
    # against ~100 ms for matching the words against both joined tables row by row.
    people = Person.objects.all()
    for word in term.split():
        people = people.filter(Q(first_name__icontains=word) | Q(last_name__icontains=word))
    # Materialised, not a subquery: with a list PostgreSQL probes the victim and suspect indexes,
    # with a subquery it chose to scan every referral.
    ids = list(people.values_list("pk", flat=True)[:NAME_MATCH_LIMIT])
    return Q(victim_id__in=ids) | Q(suspect_id__in=ids)


def queue_rows(referrals) -> list[dict]:
    """The queue's rows: each referral with the working days a waiting one has waited, and
    whether that is past the triage target (``TRIAGE_TARGET_WORKING_DAYS``)."""
    today = timezone.localdate()
    target = settings.TRIAGE_TARGET_WORKING_DAYS
    rows = []
    for referral in referrals:
        waiting = referral.status == Referral.Status.WAITING
        waited = (
            working_days_between(timezone.localdate(referral.submitted_at), today)
            if waiting
            else None
        )
        rows.append(
            {"referral": referral, "days_waiting": waited, "overdue": waiting and waited > target}
        )
    return rows


def triage_staff():
    """People a referral can be assigned to or a case owned by: the clinic's own staff."""
    return User.objects.filter(
        is_active=True, roles__overlap=[Role.COORDINATOR, Role.TACTICAL_LEAD, Role.ISAC]
    ).order_by("first_name", "last_name")


def referrals_made_by(user) -> QuerySet[Referral]:
    """The referrals ``user`` made, latest first, with the clinic's decision."""
    return (
        Referral.objects.filter(referred_by=user)
        .select_related("decision", "victim", "suspect")
        .order_by("-submitted_at")[:MINE_LIMIT]
    )


def _as_typed(person) -> dict | None:
    """A referral from before typed details were kept: its people as recorded."""
    if person is None:
        return None
    return {
        "person_ref": person.person_ref or "",
        "first_name": person.first_name,
        "last_name": person.last_name,
    }


def referral_page(referral: Referral, *, user) -> dict:
    """A referral's page: its S-DASH answers with the wording they were given against, the
    decision, and whether the user may triage it or open the case it is linked to."""
    sdash = []
    if referral.sdash_question_set:
        answers = dict(RiskAssessment.Answer.choices)
        sdash = [
            (q["text"], referral.sdash_answers.get(q["key"], ""))
            for q in referral.sdash_question_set.questions
        ]
        sdash = [(text, answer, answers.get(answer, "")) for text, answer in sdash]
    can_triage = can(user, Perm.TRIAGE)
    return {
        "referral": referral,
        # Whoever does not triage (the referrer) sees the people as typed, and no linked case:
        # which record a reference belongs to is for the coordinator to find out.
        "typed_only": not can_triage,
        "typed_victim": referral.typed("victim") or _as_typed(referral.victim),
        "typed_suspect": referral.typed("suspect") or _as_typed(referral.suspect),
        "decision": getattr(referral, "decision", None),
        "sdash": sdash,
        "sdash_yes": sum(1 for _, answer, _ in sdash if answer == "yes"),
        "can_triage": can_triage,
        "can_see_case": referral.linked_case_id is not None
        and cases_visible_to(user).filter(pk=referral.linked_case_id).exists(),
    }


def triage_matches(referral: Referral) -> list[dict]:
    """For the triage of a waiting referral: each person typed on it (victim, suspect) with the
    people already known who may be them (same reference, or same name and date of birth), for
    the coordinator to confirm (``services.referrals.referral_match_person``)."""
    from ..services.people import possible_matches

    if referral.status != Referral.Status.WAITING:
        return []
    found = []
    for role in ("victim", "suspect"):
        person = getattr(referral, role)
        if person is None:
            continue
        people = list(possible_matches(person, referral.typed(role)))
        if people:
            found.append({"role": role, "typed": referral.typed(role), "people": people})
    return found
