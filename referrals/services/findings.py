"""The coordinator's review of what the police log scan found: refer, link to a case, or dismiss.

Each act claims the finding with a conditional UPDATE on its version, so two reviewers cannot
both act on it; the loser is told who acted first.
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from stalking_clinic.audit.models import AuditEvent
from stalking_clinic.audit.services import record
from stalking_clinic.services import ChangedByAnotherUser, ServiceError

from ..models import Case, Finding, Referral
from .referrals import referral_submit_with_people
from .triage import case_merge_referral

Status = Finding.Status


def _claim(finding: Finding, *, version: int, by, **changes) -> Finding:
    claimed = Finding.objects.filter(pk=finding.pk, version=version, status=Status.OPEN).update(
        reviewed_by=by, reviewed_at=timezone.now(), version=F("version") + 1, **changes
    )
    if not claimed:
        current = Finding.objects.select_related("reviewed_by").get(pk=finding.pk)
        if current.status != Status.OPEN and current.reviewed_by:
            raise ChangedByAnotherUser(
                f"{current.reviewed_by.display_name} already reviewed this finding at "
                f"{timezone.localtime(current.reviewed_at):%H:%M} "
                f"({current.get_status_display().lower()}). Nothing you entered was saved."
            )
        raise ChangedByAnotherUser(
            "The scan added new evidence to this finding while you were reviewing it. "
            "Look at the evidence again, then decide."
        )
    finding.refresh_from_db()
    return finding


@transaction.atomic
def finding_refer(*, finding: Finding, version: int, by, **submission) -> Referral:
    """Create a referral from a finding (the form comes pre-filled from the log entries).

    ``submission`` is what ``referral_submit_with_people`` takes besides who refers and the
    source: the victim, the suspect and what happened."""
    referral = referral_submit_with_people(by=by, source=Referral.Source.LOG_SCAN, **submission)
    _claim(finding, version=version, by=by, status=Status.REFERRED, referral=referral)
    record(
        actor=by,
        action=AuditEvent.Action.ALTERATION,
        obj=finding,
        changed_fields=["status"],
        justification=f"Referral {referral.reference} created",
    )
    return referral


@transaction.atomic
def finding_link_case(*, finding: Finding, version: int, by, case: Case) -> Finding:
    """Add a finding to an existing case: its log references join the case's."""
    if case.status != Case.Status.OPEN:
        raise ServiceError(
            f"Case {case.reference} is closed. Its page prompts reopening it when the logs have "
            "new entries for its victim and suspect: reopen it there first, then link.",
            field="case",
        )
    finding = _claim(finding, version=version, by=by, status=Status.LINKED, case=case)
    log_refs = list(finding.entries.order_by("recorded_at").values_list("log_ref", flat=True))
    evidence = Referral(crime_refs=[], log_refs=log_refs)
    case_merge_referral(case, evidence, risk_level=case.risk_level, owner=case.owner, by=by)
    record(
        actor=by,
        action=AuditEvent.Action.COMBINATION,
        obj=finding,
        justification=f"Linked to case {case.reference}",
    )
    return finding


@transaction.atomic
def finding_dismiss(*, finding: Finding, version: int, by, reason: str) -> Finding:
    if not reason.strip():
        raise ServiceError("Give the reason for dismissing the finding.", field="reason")
    finding = _claim(
        finding,
        version=version,
        by=by,
        status=Status.DISMISSED,
        dismissed_reason=reason.strip(),
    )
    record(
        actor=by,
        action=AuditEvent.Action.ALTERATION,
        obj=finding,
        changed_fields=["status"],
        justification="Dismissed",
    )
    return finding
