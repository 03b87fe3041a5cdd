"""A case's risk is a decision: who decided which level, when, why, and when to review it.

Screening tools and the Stalking Risk Profile inform it; triage, the case owner (or the
coordinator or tactical lead) and the multi-agency clinic meeting decide it. "A tool scoring lower
never lowers the case's risk by itself" (DOMAIN.md): an assessment that proposes a higher level
raises the case at once, with the reason; one that proposes a lower level waits for a decision.

``risk_record`` is the one writer of a case's risk: every caller (triage, assessments, the owner's
decision, a meeting's discussion) goes through it, inside its own transaction, with the case row
locked, so the decision, the case's level and its version move together.
"""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone

from stalking_clinic.audit.models import AuditEvent
from stalking_clinic.audit.services import record
from stalking_clinic.services import ServiceError, locked, one_of

from ..models import Case, Instrument, RiskAssessment, RiskDecision, RiskLevel
from ..models.choices import RISK_RANK
from ..selectors.risk import pending_proposals

Proposal = RiskAssessment.Proposal
Source = RiskDecision.Source

# Decisions taken by people weighing the case: each answers every proposal waiting for one. A
# rise by an assessment or a new referral is automatic and leaves them for the owner.
_ANSWERS_PROPOSALS = {Source.OWNER, Source.MEETING}
# A review date further than this away is almost always a mistyped year.
_LATEST_REVIEW = datetime.timedelta(days=366)

# How soon each level is reviewed when the decision names no date: high-risk cases monthly.
REVIEW_AFTER = {
    RiskLevel.HIGH: datetime.timedelta(weeks=4),
    RiskLevel.MEDIUM: datetime.timedelta(weeks=12),
    RiskLevel.STANDARD: datetime.timedelta(weeks=26),
}


def default_review_on(level: str, *, from_day: datetime.date | None = None) -> datetime.date:
    return (from_day or timezone.localdate()) + REVIEW_AFTER[RiskLevel(level)]


def risk_record(
    case: Case,
    *,
    level: str,
    reasons: str,
    by,
    source: str,
    review_on: datetime.date | None = None,
    assessment=None,
) -> RiskDecision:
    """Record a decision on ``case``'s risk (locked by the caller, within its transaction): the
    case takes the level, reasons and review date (by default ``default_review_on``), and its
    version moves on. A rise to high puts the case forward for the clinic meeting; a fall below
    high takes it off the meeting's list. A decision by the owner or a meeting answers every
    proposal waiting for one: accepted when the level decided is the one proposed, else not."""
    now = timezone.now()
    if source in _ANSWERS_PROPOSALS:
        # The decision names the latest proposal it answers.
        assessment = assessment or pending_proposals(case).first()
        _answer_proposals(case, level)
    review_on = review_on or default_review_on(level)
    decision = RiskDecision.objects.create(
        case=case,
        level=level,
        # Triage opens the case (created with the level it decides): nothing came before.
        previous_level="" if source == Source.TRIAGE else case.risk_level or "",
        reasons=reasons.strip(),
        review_on=review_on,
        source=source,
        assessment=assessment,
        decided_by=by,
        decided_at=now,
    )
    changed = ["risk_decided_by", "risk_decided_at", "risk_reasons", "risk_review_on"]
    if case.risk_level != level:
        changed.append("risk_level")
    if level == RiskLevel.HIGH and case.for_clinic_meeting_since is None:
        case.for_clinic_meeting_since = now
        changed.append("for_clinic_meeting_since")
    elif level != RiskLevel.HIGH and case.for_clinic_meeting_since is not None:
        case.for_clinic_meeting_since = None
        changed.append("for_clinic_meeting_since")
    case.risk_level = level
    case.risk_decided_by, case.risk_decided_at = by, now
    case.risk_reasons, case.risk_review_on = decision.reasons, review_on
    case.version += 1
    case.save(update_fields=[*changed, "version", "updated_at"])
    record(
        actor=by,
        action=AuditEvent.Action.ALTERATION,
        obj=case,
        changed_fields=changed,
        justification=f"Risk {RiskLevel(level).label.lower()} "
        f"({RiskDecision.Source(source).label.lower()}): {decision.reasons}",
    )
    return decision


def _answer_proposals(case: Case, level: str) -> None:
    pending = RiskAssessment.objects.filter(case=case, proposal=Proposal.PENDING)
    pending.filter(risk_level=level).update(proposal=Proposal.ACCEPTED)
    pending.exclude(risk_level=level).update(proposal=Proposal.DECLINED)


def assessment_propose(case: Case, assessment: RiskAssessment, *, by) -> None:
    """What a new assessment (or amendment) does to its case's risk (``case`` locked by the
    caller, within its transaction).

    "A tool scoring lower never lowers the case's risk by itself" (DOMAIN.md): a higher level
    raises the case at once, recorded with the instrument's judgement as its reason; the same
    level changes nothing; a lower one waits for the owner's decision (``case_risk_decide``).
    """
    proposed, current = RISK_RANK[assessment.risk_level], RISK_RANK.get(case.risk_level, 0)
    if proposed > current:
        risk_record(
            case,
            level=assessment.risk_level,
            reasons=assessment_reasons(assessment),
            by=by,
            source=Source.ASSESSMENT,
            assessment=assessment,
        )
    elif proposed < current:
        assessment.proposal = Proposal.PENDING
        assessment.save(update_fields=["proposal"])


def assessment_reasons(assessment: RiskAssessment) -> str:
    """The instrument and its judgement, as the reason for the level it raised the case to."""
    level = assessment.get_risk_level_display().lower()
    said = f"{assessment.get_instrument_display()} judged the risk {level}"
    if assessment.yes_count is not None:
        said += f" ({assessment.yes_count} yes answers)"
    elif assessment.instrument == Instrument.SRP:
        domains = ", ".join(
            f"{name.replace('_', ' ')} {getattr(assessment, name)}"
            for name in ("violence", "persistence", "recurrence", "psychosocial_damage")
        )
        said += f" ({domains})"
    if assessment.judgement_reasons:
        said += f": {assessment.judgement_reasons}"
    return f"{said}."


@transaction.atomic
def case_risk_decide(
    *,
    case: Case,
    version: int,
    by,
    level: str,
    reasons: str,
    review_on: datetime.date | None = None,
) -> RiskDecision:
    """The case's owner, the coordinator or the tactical lead decides the case's risk (the view
    checks who), at the ``version`` of the case they saw: raising it, keeping it, or lowering it
    ("a tool scoring lower never lowers the case's risk by itself": this is the decision that
    may), with reasons and a review date (by default ``default_review_on`` the level). Every
    proposal waiting for a decision is answered. If someone changed the case meanwhile, nothing
    is written and the user is told who."""
    current = locked(case, version, what="case")
    if current.status != Case.Status.OPEN:
        raise ServiceError("This case is closed. Reopen it before deciding its risk.")
    level = one_of(level, RiskLevel, "level", "Choose the risk level.")
    if not reasons.strip():
        raise ServiceError("Give the reasons for your decision.", "reasons")
    today = timezone.localdate()
    if review_on is not None and review_on <= today:
        raise ServiceError("The review date must be after today.", "review_on")
    if review_on is not None and review_on > today + _LATEST_REVIEW:
        raise ServiceError("The review date is more than a year away. Check the year.", "review_on")
    return risk_record(
        current, level=level, reasons=reasons, by=by, source=Source.OWNER, review_on=review_on
    )
