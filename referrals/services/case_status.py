"""Closing a case, reopening it, and keeping it closed when something new came in.

A case is closed with a reason and the outcome of the clinic's work (DOMAIN.md, "A case's life":
"Closure has a reason ... and can be reopened when something new comes in"), and its record gets
a date to be reviewed, kept or disposed of (Management of Police Information). Reopening takes a
reason. Both are decisions on the case (``Perm.CASE_DECIDE``: its owner, the coordinator or the
tactical lead), made on the version of the case the person saw, kept as ``CaseStatusChange`` rows
for the timeline, and audited.
"""

from __future__ import annotations

import datetime

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from stalking_clinic.audit.models import AuditEvent
from stalking_clinic.audit.services import record
from stalking_clinic.services import ServiceError, locked, save_changes

from ..models import Case, CaseStatusChange, CloseReason, Referral
from ..retention import retention_for, retention_group_for

# Triage closes a case as "advice given" when advising the officer is all the clinic does; a case
# the clinic worked is closed for one of the others.
MANUAL_CLOSE_REASONS = [reason for reason in CloseReason if reason != CloseReason.ADVICE_GIVEN]


def default_closed_review_on(case: Case, closed_on: datetime.date | None = None) -> datetime.date:
    """When the record of ``case`` closed on ``closed_on`` (today by default) is due for review:
    by its Management of Police Information group (``referrals/retention.py``), the
    ``RETENTION_REVIEW_YEARS``-th anniversary of closing."""
    return retention_for(case, closed_on).review_on


@transaction.atomic
def case_close(
    *,
    case: Case,
    version: int,
    by,
    reason: str,
    outcome: str,
    review_on: datetime.date | None,
) -> CaseStatusChange:
    """Close an open case, at the version the user saw: the reason (one of
    ``MANUAL_CLOSE_REASONS``), the outcome of the clinic's work, and when the closed record is
    reviewed. It leaves the case list, the home page counts and the meetings' suggestions."""
    if reason not in MANUAL_CLOSE_REASONS:
        raise ServiceError("Choose why the case is being closed.", field="reason")
    if not outcome.strip():
        raise ServiceError("Enter the outcome of the clinic's work on the case.", field="outcome")
    if review_on is None:
        raise ServiceError("Enter the date to review the closed record.", field="review_on")
    if review_on <= timezone.localdate():
        raise ServiceError("The review date must be in the future.", field="review_on")
    current = locked(case, version, what="case")
    if current.status != Case.Status.OPEN:
        raise ServiceError("This case is already closed.")
    now = timezone.now()
    reason = CloseReason(reason)
    group, _ = retention_group_for(current)
    changed = save_changes(
        current,
        {
            "status": Case.Status.CLOSED,
            "closed_reason": reason,
            "closed_at": now,
            "review_on": review_on,
            "retention_group": group,
            "review_due_since": None,
        },
    )
    change = CaseStatusChange.objects.create(
        case=current,
        kind=CaseStatusChange.Kind.CLOSED,
        reason=reason,
        text=outcome.strip(),
        review_on=review_on,
        by=by,
        at=now,
    )
    record(
        actor=by,
        action=AuditEvent.Action.ALTERATION,
        obj=current,
        changed_fields=changed,
        justification=f"Closed: {reason.label.lower()}",
    )
    return change


@transaction.atomic
def case_reopen(*, case: Case, version: int, by, reason: str) -> CaseStatusChange:
    """Reopen a closed case, at the version the user saw, with the reason (something new came
    in, usually). It is back in the lists and counts as any open case is; a high-risk one is
    suggested for the clinic meeting again. Referrals for its victim and suspect still waiting
    for triage join it, as a referral arriving for an open case does (``referral_submit``)."""
    if not reason.strip():
        raise ServiceError("Enter why the case is being reopened.", field="reason")
    current = locked(case, version, what="case")
    if current.status == Case.Status.DISPOSED:
        raise ServiceError("This case's record was disposed of: it cannot be reopened.")
    if current.status != Case.Status.CLOSED:
        raise ServiceError("This case is already open.")
    changed = save_changes(
        current,
        {
            "status": Case.Status.OPEN,
            "closed_reason": "",
            "closed_at": None,
            "review_on": None,
            "retention_group": "",
            "review_due_since": None,
        },
    )
    change = CaseStatusChange.objects.create(
        case=current, kind=CaseStatusChange.Kind.REOPENED, text=reason.strip(), by=by
    )
    # A new version, so that someone triaging one of them meanwhile is told it now joins a case.
    joined = Referral.objects.filter(
        status=Referral.Status.WAITING,
        linked_case__isnull=True,
        victim_id=current.victim_id,
        suspect__in=current.suspects.all(),
    ).update(linked_case=current, version=F("version") + 1)
    record(
        actor=by,
        action=AuditEvent.Action.ALTERATION,
        obj=current,
        changed_fields=changed,
        justification=f"Reopened: {reason.strip()}"
        + (f" ({joined} waiting referral{'s' if joined > 1 else ''} joined it)" if joined else ""),
    )
    return change


@transaction.atomic
def case_keep_closed(*, case: Case, version: int, by, reason: str) -> CaseStatusChange:
    """Keep a closed case closed although something new came in for its victim and suspect (a
    referral waiting for triage, police log entries), at the version the user saw, with the
    reason. What came in until now no longer prompts reopening it; anything newer will."""
    if not reason.strip():
        raise ServiceError("Enter why the case stays closed.", field="reason")
    current = locked(case, version, what="case")
    if current.status != Case.Status.CLOSED:
        raise ServiceError("This case is not closed: there is nothing to keep closed.")
    change = CaseStatusChange.objects.create(
        case=current, kind=CaseStatusChange.Kind.KEPT, text=reason.strip(), by=by
    )
    save_changes(current, {}, also=["status_changes"])
    record(
        actor=by,
        action=AuditEvent.Action.ALTERATION,
        obj=current,
        changed_fields=["status_changes"],
        justification=f"Kept closed after new information: {reason.strip()}",
    )
    return change
