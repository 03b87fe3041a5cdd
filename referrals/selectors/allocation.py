"""Reads about who a case is allocated to: the named advocates of an ISAC service, a case's
referral to the ISAC service, and the caseloads of the advocates and the case owners."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import BooleanField, Count, ExpressionWrapper, Q, QuerySet

from stalking_clinic.access import Perm, can
from stalking_clinic.accounts.models import Agency, Role, User

from ..models import AgencyReferral, Case, RiskLevel

RISKS = [RiskLevel.HIGH, RiskLevel.MEDIUM, RiskLevel.STANDARD]
ISAC = Agency.Kind.ISAC_SERVICE
# Who may own a case: the clinic's own staff (``selectors.referrals.triage_staff``).
OWNER_ROLES = [Role.COORDINATOR, Role.TACTICAL_LEAD, Role.ISAC]


def isac_advocates(agency: Agency | None) -> QuerySet[User]:
    """The named advocates of an ISAC service: its active members with the ISAC role."""
    if agency is None:
        return User.objects.none()
    return User.objects.filter(is_active=True, agency=agency, roles__contains=[Role.ISAC]).order_by(
        "first_name", "last_name", "pk"
    )


def all_isac_advocates() -> QuerySet[User]:
    """The named advocates of every ISAC service."""
    return User.objects.filter(
        is_active=True, roles__contains=[Role.ISAC], agency__kind=ISAC
    ).order_by("first_name", "last_name", "pk")


def isac_referral(case: Case) -> AgencyReferral | None:
    """The case's referral to the ISAC service, if it has one, with its advocate."""
    return (
        AgencyReferral.objects.filter(case=case, agency__kind=Agency.Kind.ISAC_SERVICE)
        .select_related("agency", "advocate")
        .order_by("pk")
        .first()
    )


@dataclass
class Caseload:
    """One person's open cases by risk; ``user`` None is the row of cases waiting for one."""

    user: User | None
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    def by_risk(self) -> list[tuple[str, int]]:
        return [(risk, self.counts.get(risk, 0)) for risk in RISKS]


def _counts(rows, key: str) -> dict[int | None, dict[str, int]]:
    return {row[key]: {risk: row[risk] for risk in RISKS} for row in rows}


def _by_risk(prefix: str = "") -> dict:
    return {risk: Count("pk", filter=Q(**{f"{prefix}risk_level": risk})) for risk in RISKS}


def caseloads() -> dict:
    """Open cases by risk per case owner and per ISAC advocate, and the open cases referred to
    the ISAC service that wait for an advocate. Two aggregate queries and one of the people, so
    the page costs the same however many cases there are. Everyone who may own a case and every
    advocate is listed, with no cases too, and anyone else who still owns open cases."""
    open_cases = Case.objects.filter(status=Case.Status.OPEN)
    owned = _counts(open_cases.values("owner").annotate(**_by_risk()).order_by(), "owner")
    allocated = _counts(
        AgencyReferral.objects.filter(case__status=Case.Status.OPEN, agency__kind=ISAC)
        .values("advocate")
        .annotate(**_by_risk("case__"))
        .order_by(),
        "advocate",
    )
    may_own = Q(is_active=True, roles__overlap=OWNER_ROLES)
    advocate = Q(is_active=True, roles__contains=[Role.ISAC], agency__kind=ISAC)
    people = list(
        User.objects.filter(Q(pk__in=(set(owned) | set(allocated)) - {None}) | may_own | advocate)
        .annotate(
            may_own=ExpressionWrapper(may_own, output_field=BooleanField()),
            is_advocate=ExpressionWrapper(advocate, output_field=BooleanField()),
        )
        .order_by("first_name", "last_name", "pk")
    )
    return {
        "owners": [
            Caseload(user, owned.get(user.pk, {}))
            for user in people
            if user.may_own or user.pk in owned
        ],
        "advocates": [
            Caseload(user, allocated.get(user.pk, {}))
            for user in people
            if user.is_advocate or user.pk in allocated
        ],
        "unallocated": Caseload(None, allocated.get(None, {})),
    }


def allocation_panel(case: Case, *, user) -> dict:
    """The case page's allocation panel (for those who see the whole case): the owner, the
    referral to the ISAC service with its advocate, and what ``user`` may change."""
    referral = isac_referral(case)
    return {
        "isac_referral": referral,
        "can_allocate": referral is not None
        and case.status == Case.Status.OPEN
        and can(user, Perm.CASE_ALLOCATE, case),
        "can_change_owner": case.status == Case.Status.OPEN and can(user, Perm.TRIAGE),
    }
