"""Referrals in: the officer's web form and, through the same door, the police log scan."""

from __future__ import annotations

from collections.abc import Sequence

from django.db import transaction
from django.db.models import F

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


@transaction.atomic
def referral_submit_with_people(
    *, by, source: str, victim: dict, suspect: dict | None, **fields
) -> Referral:
    """Find or create the victim and suspect by person reference, then submit the referral.

    ``victim`` and ``suspect`` hold person_ref, first_name, last_name and date_of_birth.
    """
    from .people import person_find_or_create

    victim_person = person_find_or_create(by=by, **victim)
    suspect_person = person_find_or_create(by=by, **suspect) if suspect else None
    return referral_submit(
        by=by, source=source, victim=victim_person, suspect=suspect_person, **fields
    )
