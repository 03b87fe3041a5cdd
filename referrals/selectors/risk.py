"""Reads about a case's decided risk: the case page's risk panel and history, the decision page,
and the risk work waiting for someone (reviews past their date, proposals waiting for a
decision)."""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils import timezone

from stalking_clinic.access import Perm, can

from ..access import case_sections_for, cases_decided_by
from ..models import Case, RiskAssessment, RiskDecision


def review_overdue(case: Case) -> bool:
    """An open case whose risk review date has passed."""
    return (
        case.status == Case.Status.OPEN
        and case.risk_review_on is not None
        and case.risk_review_on < timezone.localdate()
    )


def may_decide_risk(user, case: Case, *, full_access: bool | None = None) -> bool:
    """The case's owner, the coordinator or the tactical lead, with the whole of an open case
    (``full_access``, when the caller already knows it)."""
    if full_access is None:
        full_access = case_sections_for(user, case).whole
    return full_access and case.status == Case.Status.OPEN and can(user, Perm.CASE_DECIDE, case)


def pending_proposals(case: Case):
    """The assessments proposing a lower level for ``case`` that wait for a decision, latest
    first (an amended one has given way to its amendment)."""
    return (
        RiskAssessment.objects.filter(
            case=case, proposal=RiskAssessment.Proposal.PENDING, amended_by__isnull=True
        )
        .select_related("assessed_by")
        .order_by("-assessed_at", "-id")
    )


def risk_history(case: Case) -> list[RiskDecision]:
    """Every decision on the case's risk, latest first."""
    return list(
        RiskDecision.objects.filter(case=case)
        .select_related("decided_by", "assessment")
        .order_by("-decided_at", "-id")
    )


def risk_panel(case: Case, *, user, full_access: bool) -> dict:
    """The case page's risk panel: the decided risk, who decided it, when, why, the review date
    (overdue or not), the decisions before it and any proposal waiting for a decision. A fixed
    number of queries."""
    history = risk_history(case)
    proposals = list(pending_proposals(case)) if full_access else []
    return {
        "case": case,
        "latest": history[0] if history else None,
        "history": history,
        "review_overdue": review_overdue(case),
        "proposals": proposals,
        "can_decide": may_decide_risk(user, case, full_access=full_access),
    }


def decision_page(case: Case) -> dict:
    """The decision page's context (less its form): the case's risk as it stands and the
    proposals waiting for a decision, with their assessments' reasons."""
    latest = (
        RiskDecision.objects.filter(case=case)
        .select_related("decided_by")
        .order_by("-decided_at", "-id")
        .first()
    )
    return {
        "case": case,
        "latest": latest,
        "proposals": list(pending_proposals(case)),
        "review_overdue": review_overdue(case),
    }


def reviews_overdue_for(user) -> QuerySet[Case]:
    """The user's own open cases past their risk review date, most overdue first (read through
    the index on owner, status and review date)."""
    return Case.objects.filter(
        owner=user, status=Case.Status.OPEN, risk_review_on__lt=timezone.localdate()
    ).order_by("risk_review_on", "id")


def proposals_for(user) -> QuerySet[RiskAssessment]:
    """Assessments proposing a lower level, waiting for a decision ``user`` may take: on the
    cases they own, or on any case for the coordinator and tactical lead."""
    return RiskAssessment.objects.filter(
        proposal=RiskAssessment.Proposal.PENDING,
        amended_by__isnull=True,
        case__in=cases_decided_by(user).filter(status=Case.Status.OPEN),
    )


def risk_work_page(user) -> dict:
    """The page behind the home page's risk items. A fixed number of queries."""
    return {
        "overdue": list(reviews_overdue_for(user).select_related("risk_decided_by")),
        "proposals": list(
            proposals_for(user)
            .select_related("case", "case__owner", "assessed_by")
            .order_by("assessed_at", "id")
        ),
        "may_decide": can(user, Perm.CASE_DECIDE),
    }
