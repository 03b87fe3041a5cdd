"""Reads about cases: the case list's filters (whose conditions the home page's counts share), and
the prompt to refer a high-risk case to the ISAC service."""

from __future__ import annotations

from django.db.models import Exists, OuterRef, QuerySet

from stalking_clinic.accounts.models import Agency

from ..models import AgencyReferral, Case, RiskAssessment

# The case list's advocate filter for "referred to the ISAC service, waiting for an advocate".
NO_ADVOCATE = "none"


def risk_assessed() -> Exists:
    """For a case query: whether a risk assessment has been recorded on the case."""
    return Exists(RiskAssessment.objects.filter(case=OuterRef("pk")))


def referred_to_isac_service() -> Exists:
    """For a case query: whether the case has been referred to an ISAC service."""
    return Exists(
        AgencyReferral.objects.filter(case=OuterRef("pk"), agency__kind=Agency.Kind.ISAC_SERVICE)
    )


def cases_filtered(
    cases: QuerySet[Case],
    *,
    status: str = "",
    risk: str = "",
    area: str = "",
    unassessed: bool = False,
    no_isac: bool = False,
    owner=None,
    advocate: str = "",
    new: bool = False,
) -> QuerySet[Case]:
    """The case list: ``cases`` filtered (open ones unless a status is given), latest first.

    ``advocate`` is an advocate's user id, or ``NO_ADVOCATE`` for the cases referred to the ISAC
    service and waiting for one; ``new``, allocated cases their advocate has not opened yet."""
    cases = cases.filter(status=status or Case.Status.OPEN) if status != "all" else cases
    if risk:
        cases = cases.filter(risk_level=risk)
    if area:
        cases = cases.filter(area=area)
    if unassessed:
        cases = cases.exclude(risk_assessed())
    if no_isac:
        cases = cases.exclude(referred_to_isac_service())
    if owner:
        cases = cases.filter(owner=owner)
    if advocate or new:
        isac = {"case": OuterRef("pk"), "agency__kind": Agency.Kind.ISAC_SERVICE}
        if advocate == NO_ADVOCATE:
            isac["advocate__isnull"] = True
        elif advocate:
            isac["advocate_id"] = int(advocate)
        if new:
            isac |= {"advocate__isnull": False, "advocate_seen_at__isnull": True}
        cases = cases.filter(Exists(AgencyReferral.objects.filter(**isac)))
    return cases.select_related("victim", "owner").order_by("-created_at", "-id")


def needs_isac_referral(case: Case) -> bool:
    """A rise to high risk prompts referral to an ISAC: open, high, and not yet referred."""
    return (
        case.status == Case.Status.OPEN
        and case.risk_level == "high"
        and not case.agency_referrals.filter(agency__kind=Agency.Kind.ISAC_SERVICE).exists()
    )
