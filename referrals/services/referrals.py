"""Referrals in: the officer's web form and, through the same door, the police log scan."""

from __future__ import annotations

import datetime
from collections.abc import Sequence

from django.db import transaction
from django.db.models import F, Q

from stalking_clinic.audit.models import AuditEvent
from stalking_clinic.audit.services import record
from stalking_clinic.services import ChangedByAnotherUser, ServiceError

from ..models import Case, Person, QuestionSet, Referral, RiskAssessment
from ..models.choices import RISK_RANK


def _open_case_for(victim: Person, suspect: Person | None) -> Case | None:
    """The open case for this victim (and suspect, when known), if there is one."""
    cases = Case.objects.filter(victim=victim, status=Case.Status.OPEN)
    if suspect is not None:
        cases = cases.filter(suspects=suspect)
    return cases.order_by("-created_at").first()


def _suggested_risk(question_set: QuestionSet | None, answers: dict) -> str:
    if not question_set or not answers:
        return ""
    yes = sum(1 for value in answers.values() if value == RiskAssessment.Answer.YES)
    return question_set.indicated_level(yes)


@transaction.atomic
def referral_submit(
    *,
    by,
    source: str,
    victim: Person,
    suspect: Person | None,
    relationship: str,
    area: str,
    unwanted: str,
    fixated: str = "",
    obsessive: str = "",
    repeated: str = "",
    crime_refs: Sequence[str] = (),
    log_refs: Sequence[str] = (),
    officer_in_case: str = "",
    requests: Sequence[str] = (),
    sdash_answers: dict | None = None,
) -> Referral:
    """Record a referral for triage. ``by`` is None for referrals raised by the log scan.

    A referral whose victim and suspect already have an open case is linked to that case.
    """
    if not unwanted.strip():
        raise ServiceError("Describe the unwanted behaviour.", field="unwanted")
    answers = {k: v for k, v in (sdash_answers or {}).items() if v}
    question_set = None
    if answers:
        question_set = QuestionSet.objects.filter(instrument="sdash", is_current=True).first()
        if question_set is None:
            raise ServiceError("S-DASH questions have not been loaded; leave the answers blank.")
        known = {q["key"] for q in question_set.questions}
        if set(answers) - known:
            raise ServiceError("The S-DASH answers do not match the current questions.")
    risk = _suggested_risk(question_set, answers)
    referral = Referral.objects.create(
        source=source,
        referred_by=by,
        victim=victim,
        suspect=suspect,
        relationship=relationship,
        area=area,
        fixated=fixated,
        obsessive=obsessive,
        unwanted=unwanted,
        repeated=repeated,
        crime_refs=[ref.strip().upper() for ref in crime_refs if ref.strip()],
        log_refs=[ref.strip().upper() for ref in log_refs if ref.strip()],
        officer_in_case=officer_in_case,
        requests=list(requests),
        sdash_answers=answers,
        sdash_question_set=question_set,
        risk_level=risk,
        risk_rank=RISK_RANK[risk],
        linked_case=_open_case_for(victim, suspect),
    )
    record(actor=by, action=AuditEvent.Action.COLLECTION, obj=referral)
    return referral


@transaction.atomic
def referral_assign(*, referral: Referral, version: int, to, by) -> Referral:
    """Give a waiting referral to someone to triage."""
    updated = Referral.objects.filter(
        pk=referral.pk, version=version, status=Referral.Status.WAITING
    ).update(assigned_to=to, version=F("version") + 1)
    if not updated:
        raise ChangedByAnotherUser(
            "Someone else changed this referral while you were looking at it. "
            "Check what they did, then try again."
        )
    referral.refresh_from_db()
    record(
        actor=by,
        action=AuditEvent.Action.ALTERATION,
        obj=referral,
        changed_fields=["assigned_to"],
    )
    return referral


def _typed(person: dict | None) -> dict | None:
    if not person:
        return None
    dob = person.get("date_of_birth")
    return {
        "person_ref": (person.get("person_ref") or "").strip().upper(),
        "first_name": person["first_name"].strip(),
        "last_name": person["last_name"].strip(),
        "date_of_birth": dob.isoformat() if dob else "",
    }


@transaction.atomic
def referral_submit_with_people(
    *, by, source: str, victim: dict, suspect: dict | None, **fields
) -> Referral:
    """Record the victim and suspect as typed, then submit the referral.

    ``victim`` and ``suspect`` hold person_ref, first_name, last_name and date_of_birth. What the
    referrer typed is kept on the referral and recorded as new people, matched to nobody: a
    reference typed with any name must not reveal or change whom it belongs to. The coordinator
    matches them to people already known at triage (``referral_match_person``). The police log
    scan's referrals come from the force's own records, so their people are found by reference.
    """
    from .people import person_find_or_create, person_record_typed

    find = person_find_or_create if source == Referral.Source.LOG_SCAN else person_record_typed
    victim_person = find(by=by, **victim)
    suspect_person = find(by=by, **suspect) if suspect else None
    referral = referral_submit(
        by=by, source=source, victim=victim_person, suspect=suspect_person, **fields
    )
    referral.typed_people = {"victim": _typed(victim), "suspect": _typed(suspect)}
    referral.save(update_fields=["typed_people"])
    return referral


def _held_elsewhere(person: Person, referral: Referral) -> bool:
    """Whether anything but ``referral`` holds ``person`` (a reference may be held by police log
    rows and findings, so a person with one is kept)."""
    referrals = Referral.objects.filter(Q(victim=person) | Q(suspect=person))
    return (
        person.person_ref is not None
        or referrals.exclude(pk=referral.pk).exists()
        or Case.objects.filter(Q(victim=person) | Q(suspects=person)).exists()
    )


@transaction.atomic
def referral_match_person(
    *, referral: Referral, role: str, person: Person, version: int, by, request=None
) -> Referral:
    """Triage: the coordinator confirms that the ``role`` ("victim" or "suspect") typed on a
    waiting referral is ``person``, already known (one of ``possible_matches``).

    The referral then names ``person``; the name typed becomes one of their aliases and a date of
    birth typed fills a blank one; the referral is linked to their open case, if any; the
    typed copy is removed when nothing else holds it. A combination of records (DPA 2018
    s.62), logged with the page and address it came from.
    """
    from .people import possible_matches

    if role not in ("victim", "suspect"):
        raise ServiceError("Choose the victim or the suspect.")
    current = Referral.objects.select_for_update().get(pk=referral.pk)
    if current.version != version or current.status != Referral.Status.WAITING:
        raise ChangedByAnotherUser(
            "Someone else changed this referral while you were looking at it. "
            "Check what they did, then try again."
        )
    typed_person = getattr(current, role)
    typed = current.typed(role)
    matches = possible_matches(typed_person, typed) if typed_person else Person.objects.none()
    if not matches.filter(pk=person.pk).exists():
        raise ServiceError(f"That person is not a possible match for the {role} typed.")
    person = Person.objects.select_for_update().get(pk=person.pk)
    changed = []
    name = f"{typed['first_name']} {typed['last_name']}".strip()
    if name and name.lower() != person.full_name.lower() and name not in person.aliases:
        person.aliases = [*person.aliases, name]
        changed.append("aliases")
    if typed.get("date_of_birth") and not person.date_of_birth:
        person.date_of_birth = datetime.date.fromisoformat(typed["date_of_birth"])
        changed.append("date_of_birth")
    if changed:
        person.save(update_fields=[*changed, "updated_at"])
    setattr(current, role, person)
    if current.linked_case_id is None:
        current.linked_case = _open_case_for(current.victim, current.suspect)
    current.version += 1
    current.save(update_fields=[role, "linked_case", "version"])
    record(
        actor=by,
        action=AuditEvent.Action.COMBINATION,
        obj=person,
        changed_fields=changed,
        justification=(
            f"The {role} of referral {current.reference} matched to this person at triage"
            + (f"; linked to case {current.linked_case.reference}" if current.linked_case else "")
        ),
        request=request,
    )
    if not _held_elsewhere(typed_person, current):
        record(
            actor=by,
            action=AuditEvent.Action.ERASURE,
            obj=typed_person,
            justification=f"Typed copy of the {role} of {current.reference}, matched to "
            f"{person.audit_label}",
            request=request,
        )
        typed_person.delete()
    return current
