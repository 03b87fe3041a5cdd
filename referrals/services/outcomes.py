"""Criminal justice outcomes on a case: what "improved detection rates" means (DOMAIN.md), kept as
data (kind, offence, date, who recorded it) so that the clinic's figures can count them.

Those who decide on the case record them by hand (``outcome_record``), on an open or a closed case:
a conviction often comes after the clinic's work is done. "Stalking protection order made" is not
typed: the protection orders area records it when it records an order the court made
(``outcome_record_order_made``), so the case's outcomes and its orders cannot disagree.
"""

from __future__ import annotations

import datetime

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Model
from django.utils import timezone

from stalking_clinic.audit.models import AuditEvent
from stalking_clinic.audit.services import record
from stalking_clinic.services import ServiceError

from ..models import Case, CriminalJusticeOutcome, Offence

Kind = CriminalJusticeOutcome.Kind

# The outcomes that are about one offence: what was recorded, charged, cautioned or convicted.
NEEDS_OFFENCE = frozenset({Kind.CRIME_RECORDED, Kind.CHARGED, Kind.CAUTION, Kind.CONVICTED})
# What a person records by hand; an SPO made comes from the order itself.
TYPED_KINDS = [kind for kind in Kind if kind != Kind.SPO_MADE]


def _offence(kind: Kind, offence: str, offence_other: str) -> tuple[str, str]:
    """The offence and its "other" text as stored, or refused naming the field to fix."""
    if not offence:
        if kind in NEEDS_OFFENCE:
            raise ServiceError(
                f"Choose the offence ({kind.label.lower()} for which offence).", field="offence"
            )
        return "", ""
    if offence not in Offence.values:
        raise ServiceError("Choose an offence from the list.", field="offence")
    if offence != Offence.OTHER:
        return offence, ""
    if not offence_other.strip():
        raise ServiceError("Enter the offence.", field="offence_other")
    return offence, offence_other.strip()


@transaction.atomic
def outcome_record(
    *,
    case: Case,
    by,
    kind: str,
    on: datetime.date | None,
    offence: str = "",
    offence_other: str = "",
    nfa_reason: str = "",
    detail: str = "",
) -> CriminalJusticeOutcome:
    """Record a criminal justice outcome on ``case``: crime recorded, charged, caution and
    convicted name the offence (s.2A or s.4A Protection from Harassment Act 1997 for stalking,
    or another); no further action gives its reason."""
    if kind not in TYPED_KINDS:
        raise ServiceError("Choose the outcome.", field="kind")
    kind = Kind(kind)
    if on is None:
        raise ServiceError("Enter the date of the outcome.", field="on")
    if on > timezone.localdate():
        raise ServiceError("The date of the outcome must be today or in the past.", field="on")
    offence, offence_other = _offence(kind, offence, offence_other)
    if kind == Kind.NFA and not nfa_reason.strip():
        raise ServiceError("Enter the reason for no further action.", field="nfa_reason")
    outcome = CriminalJusticeOutcome.objects.create(
        case=case,
        kind=kind,
        on=on,
        offence=offence,
        offence_other=offence_other,
        nfa_reason=nfa_reason.strip() if kind == Kind.NFA else "",
        detail=detail.strip(),
        recorded_by=by,
    )
    record(
        actor=by,
        action=AuditEvent.Action.COLLECTION,
        obj=outcome,
        justification=f"{kind.label} on case {case.reference}",
    )
    return outcome


def outcome_record_order_made(
    *, case_id: int, order: Model, by, on: datetime.date, detail: str
) -> CriminalJusticeOutcome:
    """ "Stalking protection order made" on the case, about ``order`` (a record of another area,
    which calls this inside its own transaction and audits the order it records; so no audit
    entry of its own here). Recording the same order again changes nothing."""
    outcome, _ = CriminalJusticeOutcome.objects.get_or_create(
        case_id=case_id,
        kind=Kind.SPO_MADE,
        record_type=ContentType.objects.get_for_model(order),
        record_id=order.pk,
        defaults={"on": on, "detail": detail, "recorded_by": by},
    )
    return outcome
