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

from django.utils import timezone

from stalking_clinic.audit.models import AuditEvent
from stalking_clinic.audit.services import record

from ..models import Case, RiskDecision, RiskLevel

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
    version moves on. A rise to high puts the case forward for the clinic meeting."""
    now = timezone.now()
    review_on = review_on or default_review_on(level)
    decision = RiskDecision.objects.create(
        case=case,
        level=level,
        previous_level=case.risk_level or "",
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
