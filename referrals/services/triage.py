"""The coordinator's triage of a referral."""

from __future__ import annotations

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from stalking_clinic.accounts.models import Agency
from stalking_clinic.audit.models import AuditEvent
from stalking_clinic.audit.services import record
from stalking_clinic.reminders.services import reminders_send_now
from stalking_clinic.services import ChangedByAnotherUser, ServiceError

from ..models import (
    AgencyReferral,
    Case,
    CaseNote,
    CaseStatusChange,
    CloseReason,
    Referral,
    RiskDecision,
    Share,
    TriageDecision,
)
from ..models.choices import RISK_RANK
from ..reminders import advice_due
from .allocation import advocate_allocate_within
from .risk import risk_record

Outcome = TriageDecision.Outcome

# Outcomes after which the clinic keeps working the case; the others close it, for this reason.
_CASE_STAYS_OPEN = {Outcome.ACCEPT, Outcome.REFER_ISAC, Outcome.REFER_PARTNER}
_CLOSES_AS = {
    Outcome.ADVICE: CloseReason.ADVICE_GIVEN,
    Outcome.CROSS_BORDER: CloseReason.TRANSFERRED,
    Outcome.NO_FURTHER_ACTION: CloseReason.NO_CLINIC_ROLE,
}


def isac_service() -> Agency:
    agency = Agency.objects.filter(kind=Agency.Kind.ISAC_SERVICE).order_by("pk").first()
    if agency is None:
        raise ServiceError(
            "No ISAC service is set up. Ask an administrator to add the advocacy service as an "
            "agency.",
            field="outcome",
        )
    return agency


def _check(
    outcome, *, risk_reasons, advice, partner_agency, other_force, other_force_contact, nfa_reason
):
    if not risk_reasons.strip():
        raise ServiceError("Give the reasons for the risk level.", field="risk_reasons")
    required = {
        Outcome.ADVICE: [("advice", advice, "Enter the advice given to the officer.")],
        Outcome.REFER_PARTNER: [
            ("partner_agency", partner_agency, "Choose the agency the case is referred to.")
        ],
        Outcome.CROSS_BORDER: [
            ("other_force", other_force, "Enter the force the case is handed over to."),
            ("other_force_contact", other_force_contact, "Enter a contact at that force."),
        ],
        Outcome.NO_FURTHER_ACTION: [
            ("nfa_reason", nfa_reason, "Give the reason for no further action.")
        ],
    }.get(outcome, [])
    for field, value, message in required:
        if not (value.strip() if isinstance(value, str) else value):
            raise ServiceError(message, field=field)


@transaction.atomic
def referral_triage(
    *,
    referral: Referral,
    version: int,
    by,
    risk_level: str,
    risk_reasons: str,
    owner,
    outcome: str,
    advice: str = "",
    partner_agency: Agency | None = None,
    other_force: str = "",
    other_force_contact: str = "",
    nfa_reason: str = "",
    advocate=None,
) -> TriageDecision:
    """Decide a waiting referral: risk with reasons, an owner, and one outcome.

    Advice to the officer may go with any outcome (the decision "Advice to the officer" needs
    it): it becomes an advice note on the case, and the officer who referred is emailed a link to
    their referral, where they read it. Referring to the ISAC service may name one of its
    advocates (``advocate``), who is allocated the case and emailed a link to it.

    Every decision is kept on the case it opens (or the open case it joins), so it shows on that
    case's timeline. The referral is claimed with a conditional UPDATE on its version: if someone
    else triaged or changed it first, nothing is saved and the caller is told.
    """
    outcome = Outcome(outcome)
    _check(
        outcome,
        risk_reasons=risk_reasons,
        advice=advice,
        partner_agency=partner_agency,
        other_force=other_force,
        other_force_contact=other_force_contact,
        nfa_reason=nfa_reason,
    )
    claimed = Referral.objects.filter(
        pk=referral.pk, version=version, status=Referral.Status.WAITING
    ).update(
        status=Referral.Status.TRIAGED,
        risk_level=risk_level,
        risk_rank=RISK_RANK[risk_level],
        version=F("version") + 1,
    )
    if not claimed:
        current = Referral.objects.select_related("decision__decided_by").get(pk=referral.pk)
        if current.status == Referral.Status.TRIAGED:
            decision = current.decision
            raise ChangedByAnotherUser(
                f"{decision.decided_by.display_name} triaged this referral at "
                f"{timezone.localtime(decision.decided_at):%H:%M} "
                f"({decision.get_outcome_display().lower()}). Your decision was not saved."
            )
        raise ChangedByAnotherUser(
            "Someone else changed this referral while you were deciding. Your decision was not "
            "saved: check the referral and decide again."
        )
    referral.refresh_from_db()

    case = referral.linked_case
    if case is None:
        # A new case: it stays open only if the clinic keeps working it.
        stays_open = outcome in _CASE_STAYS_OPEN
        case = Case.objects.create(
            status=Case.Status.OPEN if stays_open else Case.Status.CLOSED,
            closed_reason="" if stays_open else _CLOSES_AS[outcome],
            closed_at=None if stays_open else timezone.now(),
            victim=referral.victim,
            relationship=referral.relationship,
            crime_refs=referral.crime_refs,
            log_refs=referral.log_refs,
            officer_in_case=referral.officer_in_case,
            area=referral.area,
            risk_level=risk_level,
            owner=owner,
        )
        record(actor=by, action=AuditEvent.Action.COLLECTION, obj=case)
        risk_record(
            case, level=risk_level, reasons=risk_reasons, by=by, source=RiskDecision.Source.TRIAGE
        )
        if not stays_open:
            CaseStatusChange.objects.create(
                case=case,
                kind=CaseStatusChange.Kind.CLOSED,
                reason=case.closed_reason,
                text=f"Closed at triage: {outcome.label.lower()}.",
                by=by,
                at=case.closed_at,
            )
        referral.linked_case = case
        referral.save(update_fields=["linked_case"])
    else:
        case_merge_referral(
            case, referral, risk_level=risk_level, owner=owner, by=by, reasons=risk_reasons
        )
    if referral.suspect_id:
        case.suspects.add(referral.suspect_id)

    decision = TriageDecision.objects.create(
        referral=referral,
        case=case,
        decided_by=by,
        risk_level=risk_level,
        risk_reasons=risk_reasons,
        owner=owner,
        outcome=outcome,
        advice=advice,
        partner_agency=partner_agency if outcome == Outcome.REFER_PARTNER else None,
        other_force=other_force if outcome == Outcome.CROSS_BORDER else "",
        other_force_contact=other_force_contact if outcome == Outcome.CROSS_BORDER else "",
        nfa_reason=nfa_reason if outcome == Outcome.NO_FURTHER_ACTION else "",
    )
    if advice.strip():
        CaseNote.objects.create(
            case=case, kind=CaseNote.Kind.ADVICE, text=advice.strip(), author=by
        )
        if referral.referred_by_id:
            reminders_send_now([advice_due(decision, referral=referral)])
    if outcome == Outcome.REFER_ISAC:
        agency_referral = _refer(case, isac_service(), reason=risk_reasons, by=by)
        if advocate is not None and agency_referral.advocate_id != advocate.pk:
            agency_referral.case = case
            advocate_allocate_within(
                agency_referral, advocate=advocate, by=by, reason=f"Triage of {referral.reference}"
            )
    elif outcome == Outcome.REFER_PARTNER:
        _refer(case, partner_agency, reason=risk_reasons, by=by)
        # Referring to a partner means telling them about the case: share the summary.
        Share.objects.get_or_create(
            case=case,
            agency=partner_agency,
            defaults={
                "sections": [Share.Section.SUMMARY],
                "reason": f"Referred at triage: {risk_reasons}",
                "shared_by": by,
            },
        )
        record(
            actor=by,
            action=AuditEvent.Action.DISCLOSURE,
            obj=case,
            recipient=str(partner_agency),
            justification="Referred to the agency at triage",
        )
    record(
        actor=by,
        action=AuditEvent.Action.ALTERATION,
        obj=referral,
        changed_fields=["status", "risk_level", "linked_case"],
        justification=f"Triage: {outcome.label}",
    )
    return decision


def _refer(case: Case, agency: Agency, *, reason: str, by) -> AgencyReferral:
    agency_referral, _ = AgencyReferral.objects.select_related("agency").get_or_create(
        case=case, agency=agency, defaults={"reason": reason, "referred_by": by}
    )
    return agency_referral


def case_merge_referral(
    case: Case, referral: Referral, *, risk_level: str, owner, by, reasons: str = ""
) -> None:
    """Merge a referral for an open case into it (within the caller's transaction): its crime and
    log references join the case's, and the case's risk only ever goes up here, as a decision
    with ``reasons``. Triage uses it for a referral whose case is already open; linking a police
    log finding, for its entries."""
    case.refresh_from_db(from_queryset=Case.objects.select_for_update())
    changed = []
    for field in ("crime_refs", "log_refs"):
        merged = list(dict.fromkeys([*getattr(case, field), *getattr(referral, field)]))
        if merged != getattr(case, field):
            setattr(case, field, merged)
            changed.append(field)
    if changed:
        case.save(update_fields=[*changed, "updated_at"])
        record(actor=by, action=AuditEvent.Action.ALTERATION, obj=case, changed_fields=changed)
    if RISK_RANK[risk_level] > RISK_RANK[case.risk_level]:
        risk_record(
            case,
            level=risk_level,
            reasons=reasons or f"Raised by {referral.reference}.",
            by=by,
            source=RiskDecision.Source.REFERRAL,
        )
