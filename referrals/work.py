"""What the referrals area puts on people's home pages."""

import datetime

from django.conf import settings
from django.db.models import F
from django.urls import reverse
from django.utils import timezone

from stalking_clinic.access import Perm, can
from stalking_clinic.accounts.models import Agency, Role
from stalking_clinic.home.work import WorkItem, work_provider

from .access import cases_visible_to
from .models import AgencyReferral, Case, Finding, Referral
from .selectors.case_status import cases_decided_on_by, closed_cases_with_new_information
from .selectors.cases import NO_ADVOCATE, referred_to_isac_service, risk_assessed
from .selectors.retention import records_due
from .selectors.risk import proposals_for, reviews_overdue_for
from .working_days import working_days_before


def overdue_cutoff() -> datetime.datetime:
    """Referrals submitted before this are past the triage target."""
    day = working_days_before(timezone.localdate(), settings.TRIAGE_TARGET_WORKING_DAYS)
    return datetime.datetime.combine(day, datetime.time.min, timezone.get_current_timezone())


@work_provider
def triage_work(user):
    if not can(user, Perm.TRIAGE):
        return []
    waiting = Referral.objects.filter(status=Referral.Status.WAITING)
    queue = reverse("referrals:queue")
    no_isac = Case.objects.filter(status=Case.Status.OPEN, risk_level="high").exclude(
        referred_to_isac_service()
    )
    return [
        WorkItem("Referrals waiting for triage", waiting.count(), queue),
        WorkItem(
            "Referrals past the triage target",
            waiting.filter(submitted_at__lt=overdue_cutoff()).count(),
            queue,
            urgent=True,
            hint=f"Waiting more than {settings.TRIAGE_TARGET_WORKING_DAYS} working days.",
        ),
        WorkItem(
            "Referrals assigned to you",
            waiting.filter(assigned_to=user).count(),
            f"{queue}?assigned_to={user.pk}",
        ),
        WorkItem(
            "High-risk cases not referred to the ISAC service",
            no_isac.count(),
            reverse("referrals:case_list") + "?risk=high&no_isac=1",
            urgent=True,
        ),
    ]


@work_provider
def referrer_work(user):
    if not can(user, Perm.REFERRAL_CREATE) or can(user, Perm.TRIAGE):
        return []
    since = timezone.now() - datetime.timedelta(days=14)
    decided = Referral.objects.filter(referred_by=user, decision__decided_at__gte=since)
    return [
        WorkItem(
            "Decisions and advice on your referrals (last 14 days)",
            decided.count(),
            reverse("referrals:mine"),
        )
    ]


@work_provider
def isac_work(user):
    if not can(user, Perm.ASSESS) or can(user, Perm.TRIAGE):
        return []
    """A named advocate: the open cases allocated to them that have no risk assessment yet (those
    of the service waiting for an advocate are ``advocate_work``'s)."""
    unassessed = (
        cases_visible_to(user)
        .filter(status=Case.Status.OPEN, agency_referrals__advocate=user)
        .exclude(risk_assessed())
    )
    return [
        WorkItem(
            "Your cases with no risk assessment yet",
            unassessed.count(),
            reverse("referrals:case_list") + f"?advocate={user.pk}&unassessed=1",
            urgent=True,
        )
    ]


@work_provider
def findings_work(user):
    if not can(user, Perm.FINDINGS_REVIEW):
        return []
    open_findings = Finding.objects.filter(status=Finding.Status.OPEN)
    url = reverse("referrals:findings")
    return [
        WorkItem(
            "Police log findings tagged as stalking",
            open_findings.filter(kind=Finding.Kind.TAGGED).count(),
            f"{url}?kind=tagged",
            urgent=True,
        ),
        WorkItem(
            "Police log patterns to review",
            open_findings.filter(kind=Finding.Kind.PATTERN).count(),
            f"{url}?kind=pattern",
        ),
    ]


@work_provider
def new_log_entries_work(user):
    """Case owners: the logs have new entries for a case's pair since it was linked."""
    if not can(user, Perm.CASES_VIEW):
        return []
    changed = Finding.objects.filter(
        case__owner=user, case__status=Case.Status.OPEN, updated_at__gt=F("reviewed_at")
    )
    return [
        WorkItem(
            "Your cases with new police log entries",
            changed.values("case").distinct().count(),
            reverse("referrals:case_list"),
            urgent=True,
        )
    ]


@work_provider
def closed_cases_with_new_information_work(user):
    """Those who decide on cases (the coordinator and tactical lead on every case, an owner on
    theirs): closed cases whose victim and suspect have a new referral or new police log
    entries, to decide whether to reopen them."""
    if not can(user, Perm.CASE_DECIDE):
        return []
    cases = closed_cases_with_new_information(cases_decided_on_by(user, cases_visible_to(user)))
    return [
        WorkItem(
            "Closed cases with new information",
            cases.count(),
            reverse("referrals:closed_with_new_information"),
            urgent=True,
            hint="A new referral or police log entries: decide whether to reopen.",
        )
    ]


@work_provider
def risk_work(user):
    """Case owners: their cases past the risk review date. Whoever decides on cases: the lower
    levels proposed by assessments, waiting for their decision. One count each."""
    if not can(user, Perm.CASES_VIEW):
        return []
    url = reverse("referrals:risk_work")
    items = [
        WorkItem(
            "Your cases past their risk review date",
            reviews_overdue_for(user).count(),
            f"{url}#reviews",
            urgent=True,
        )
    ]
    if can(user, Perm.CASE_DECIDE):
        items.append(
            WorkItem(
                "Risk proposals waiting for your decision",
                proposals_for(user).count(),
                f"{url}#proposals",
                urgent=True,
                hint="Assessments proposing a lower risk level: the case keeps its level "
                "until someone decides.",
            )
        )
    return items


@work_provider
def advocate_work(user):
    """A named advocate: the cases newly allocated to them, at the top of their home page until
    they open each; the ISACs of a service: its cases waiting for an advocate."""
    if Role.ISAC not in user.roles or not user.agency_id:
        return []
    isac = AgencyReferral.objects.filter(
        agency_id=user.agency_id,
        agency__kind=Agency.Kind.ISAC_SERVICE,
        case__status=Case.Status.OPEN,
    )
    cases = reverse("referrals:case_list")
    new = isac.filter(advocate=user, advocate_seen_at__isnull=True).count()
    return [
        WorkItem(
            "New cases allocated to you",
            new,
            f"{cases}?advocate={user.pk}&new=1",
            urgent=True,
            top=True,
            hint="Until you open each case.",
        ),
        WorkItem(
            "Cases referred to your service waiting for an advocate",
            isac.filter(advocate__isnull=True).count(),
            f"{cases}?advocate={NO_ADVOCATE}",
            urgent=True,
        ),
    ]


@work_provider
def records_review_work(user):
    """Closed cases' records due for review (Management of Police Information)."""
    if not can(user, Perm.RECORDS_REVIEW):
        return []
    due = records_due(cases_visible_to(user))
    return [WorkItem("Records due for review", due.count(), reverse("referrals:records_due"))]
