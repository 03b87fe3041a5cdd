"""Reviewing closed cases' records (Management of Police Information): which are due, keeping
one with a new review date, and disposing of one, which erases its personal data for good.

MoPI (APP, "Retention, review and disposal"): records are reviewed at the intervals of their
group (``referrals/retention.py``), and "each review decision is recorded". A record kept gets a
new review date and the reason; a record disposed of keeps no personal data, only the
metadata of its erasure (Data Protection Act 2018 s.62, logging of "erasure"): the case
reference, its group, the reason, who and when.
"""

from __future__ import annotations

import datetime

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from stalking_clinic.audit.models import AuditEvent
from stalking_clinic.audit.services import record
from stalking_clinic.services import ServiceError, locked, save_changes

from ..disposal import blank_text, erase_elsewhere, refusals_for
from ..models import (
    AgencyReferral,
    Allocation,
    Case,
    CaseNote,
    CaseStatusChange,
    CriminalJusticeOutcome,
    Finding,
    Person,
    Referral,
    RetentionReview,
    RiskAssessment,
    RiskDecision,
    SafetyAction,
    Share,
    TriageDecision,
    VictimVoice,
)
from ..retention import retention_group_for


def records_due_mark(today: datetime.date | None = None) -> int:
    """Mark the closed cases whose review date has come as due for review (the daily job).
    One statement, touching only cases not yet marked: running it twice changes nothing."""
    today = today or timezone.localdate()
    return Case.objects.filter(
        status=Case.Status.CLOSED, review_on__lte=today, review_due_since__isnull=True
    ).update(review_due_since=today)


def _closed(case: Case, version: int) -> Case:
    current = locked(case, version, what="case")
    if current.status != Case.Status.CLOSED:
        raise ServiceError("Only a closed case's record is reviewed; this case is not closed.")
    return current


@transaction.atomic
def record_keep(
    *, case: Case, version: int, by, reason: str, next_review_on: datetime.date | None
) -> RetentionReview:
    """Keep a closed case's record, with why and when it is next reviewed (MoPI: "retained while
    a risk")."""
    if not reason.strip():
        raise ServiceError("Enter why the record is kept.", field="reason")
    if next_review_on is None:
        raise ServiceError("Enter when the record is next reviewed.", field="next_review_on")
    if next_review_on <= timezone.localdate():
        raise ServiceError("The next review date must be in the future.", field="next_review_on")
    current = _closed(case, version)
    group, _ = retention_group_for(current)
    review = RetentionReview.objects.create(
        case=current,
        decision=RetentionReview.Decision.KEEP,
        retention_group=group,
        reason=reason.strip(),
        next_review_on=next_review_on,
        by=by,
    )
    changed = save_changes(
        current,
        {"review_on": next_review_on, "review_due_since": None, "retention_group": group},
    )
    record(
        actor=by,
        action=AuditEvent.Action.ALTERATION,
        obj=current,
        changed_fields=changed,
        justification=f"Record kept on review, next review {next_review_on:%d/%m/%Y}: "
        f"{reason.strip()}",
    )
    return review


@transaction.atomic
def record_dispose(*, case: Case, version: int, by, reason: str) -> RetentionReview:
    """Dispose of a closed case's record: erase its personal data, here and in every area that
    holds some (``referrals.disposal``), and the details of the people linked to nothing else.
    It cannot be undone: a disposed case cannot be reopened, and its page says only when and why
    it was disposed of."""
    if not reason.strip():
        raise ServiceError("Enter why the record is disposed of.", field="reason")
    current = _closed(case, version)
    refusals = refusals_for(current)
    if refusals:
        raise ServiceError(" ".join(refusals))
    group, _ = retention_group_for(current)
    people = {current.victim_id, *current.suspects.values_list("pk", flat=True)}
    referrals = Referral.objects.filter(
        Q(linked_case=current) | Q(decision__case=current)
    ).distinct()
    for victim_id, suspect_id in referrals.values_list("victim_id", "suspect_id"):
        people.update({victim_id, suspect_id})
    people.discard(None)

    _erase_case(current, referrals)
    erase_elsewhere(current)
    erased = _erase_people_linked_to_nothing_else(people, current)

    review = RetentionReview.objects.create(
        case=current,
        decision=RetentionReview.Decision.DISPOSE,
        retention_group=group,
        reason=reason.strip(),
        by=by,
    )
    save_changes(
        current,
        {"status": Case.Status.DISPOSED, "review_due_since": None, "retention_group": group},
    )
    record(
        actor=by,
        action=AuditEvent.Action.ERASURE,
        obj=current,
        changed_fields=["personal data"],
        justification=f"Disposed of on review ({group.label}): {reason.strip()}. "
        f"{erased} {'person' if erased == 1 else 'people'} linked to nothing else erased.",
    )
    return review


def _erase_case(case: Case, referrals) -> None:
    """The case's personal data in the referrals area: what people wrote, the victim's voice,
    the safety plan, assessments' answers and reasons, referrals' FOUR accounts and
    references, shares. Outlines stay (dates, kinds, outcomes as counted)."""
    CaseNote.objects.filter(case=case).delete()
    VictimVoice.objects.filter(case=case).delete()
    SafetyAction.objects.filter(case=case).delete()
    Share.objects.filter(case=case).delete()
    blank_text(RiskAssessment.objects.filter(case=case), also=["answers"])
    blank_text(RiskDecision.objects.filter(case=case))
    blank_text(CaseStatusChange.objects.filter(case=case))
    blank_text(Allocation.objects.filter(case=case))
    blank_text(AgencyReferral.objects.filter(case=case))
    blank_text(CriminalJusticeOutcome.objects.filter(case=case), also=["offence_other"])
    blank_text(TriageDecision.objects.filter(case=case))
    blank_text(Referral.objects.filter(pk__in=referrals.values("pk")), also=_REFERRAL_REFS)
    Finding.objects.filter(case=case).update(case=None)
    case.suspects.clear()
    Case.objects.filter(pk=case.pk).update(
        crime_refs=[], log_refs=[], officer_in_case="", risk_reasons=""
    )


_REFERRAL_REFS = ["crime_refs", "log_refs"]
_PERSON_DETAILS = {
    "person_ref": None,
    "first_name": "",
    "last_name": "",
    "date_of_birth": None,
    "aliases": [],
    "address": "",
    "safe_contact": "",
    "interpreter_language": "",
    "communication_needs": "",
}


def _erase_people_linked_to_nothing_else(people: set[int], case: Case) -> int:
    """Erase the details of each person whom nothing but this case (and its referrals) points
    at: no other case, referral, police log entry, finding, SPO application… Every relation
    to Person is asked, whichever area declared it, so a new one is counted without a change
    here. The row stays, empty, because the case's victim must still name a row."""
    erased = 0
    for person in Person.objects.filter(pk__in=people):
        if _linked_elsewhere(person, case):
            continue
        Person.objects.filter(pk=person.pk).update(**_PERSON_DETAILS)
        erased += 1
    return erased


def _linked_elsewhere(person: Person, case: Case) -> bool:
    for relation in Person._meta.related_objects:
        model = relation.related_model
        name = relation.field.name
        by_reference = getattr(relation.field, "to_fields", [None])[0] == "person_ref"
        if by_reference and not person.person_ref:
            continue
        rows = model._base_manager.filter(**{name: person})
        if model is Case:
            rows = rows.exclude(pk=case.pk)
        elif model is Referral:
            rows = rows.exclude(Q(linked_case=case) | Q(decision__case=case))
        if rows.exists():
            return True
    return False


def record_review(
    *,
    case: Case,
    version: int,
    by,
    decision: str,
    reason: str,
    next_review_on: datetime.date | None = None,
) -> RetentionReview:
    """The reviewer's decision on a closed case's record: keep or dispose of it."""
    if decision == RetentionReview.Decision.KEEP:
        return record_keep(
            case=case, version=version, by=by, reason=reason, next_review_on=next_review_on
        )
    if decision == RetentionReview.Decision.DISPOSE:
        return record_dispose(case=case, version=version, by=by, reason=reason)
    raise ServiceError("Choose whether the record is kept or disposed of.", field="decision")
