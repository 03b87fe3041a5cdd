"""Emails of the referrals area: a case allocated to a named advocate, and advice given to the
officer who referred.

A source for the one reminders job (``stalking_clinic.reminders``), registered from
``ReferralsConfig.ready``; the services that allocate a case or triage a referral make the same
reminders at once (``reminders_send_now``), so the email goes when the act is saved and the
hourly job is only the backstop. A failed send is retried by the job's one rule.

- ``referrals.case_allocated``: to the advocate, for each allocation to an advocate who has not
  yet opened the case (keyed by the allocation: allocated again, they are told again).
- ``referrals.advice_given``: to the officer who made the referral, for each triage decision
  with advice, in the last ``ADVICE_DAYS`` (keyed by the decision).

The emails (``templates/referrals/email/<kind>.txt``) hold a reference and a link, never a name
of a victim or suspect, nor anything of the case: email leaves the system, and the link asks the
reader to sign in.
"""

from __future__ import annotations

import datetime

from django.db.models import OuterRef, Subquery
from django.urls import reverse

from stalking_clinic.accounts.models import Agency
from stalking_clinic.reminders.registry import Due, reminder_source

from .models import AgencyReferral, Allocation, Case, Referral, TriageDecision

ALLOCATED = "referrals.case_allocated"
ADVICE = "referrals.advice_given"
# The job makes advice reminders for decisions this recent: long after every retry of the send.
ADVICE_DAYS = 7


def _case_reference(case_id: int) -> str:
    return Case(pk=case_id).reference


def allocation_due(allocation: Allocation) -> Due:
    """The email telling an advocate that a case is allocated to them."""
    reference = _case_reference(allocation.case_id)
    return Due(
        kind=ALLOCATED,
        key=f"allocation:{allocation.pk}",
        event_at=allocation.at,
        message=f"Case {reference} allocated to you",
        url=reverse("referrals:case_detail", args=[allocation.case_id]),
        context={"reference": reference},
        recipient_id=allocation.to_id,
    )


def advice_due(decision: TriageDecision, *, referral: Referral) -> Due:
    """The email telling the officer who referred that the clinic has advice for them."""
    return Due(
        kind=ADVICE,
        key=f"advice:{decision.pk}",
        event_at=decision.decided_at,
        message=f"Advice from the stalking clinic on referral {referral.reference}",
        url=reverse("referrals:referral_detail", args=[referral.pk]),
        context={"reference": referral.reference},
        recipient_id=referral.referred_by_id,
    )


@reminder_source
def reminders_due(now: datetime.datetime):
    """Allocations not yet seen by their advocate, and recent advice to referrers: two queries."""
    latest = Allocation.objects.filter(
        case=OuterRef("case"), kind=Allocation.Kind.ADVOCATE, to=OuterRef("advocate")
    ).order_by("-at", "-pk")
    unseen = (
        AgencyReferral.objects.filter(
            agency__kind=Agency.Kind.ISAC_SERVICE,
            advocate__isnull=False,
            advocate_seen_at__isnull=True,
            case__status=Case.Status.OPEN,
        )
        .annotate(
            allocation=Subquery(latest.values("pk")[:1]),
            allocated=Subquery(latest.values("at")[:1]),
        )
        .filter(allocation__isnull=False)
        .values_list("allocation", "case_id", "advocate_id", "allocated")
    )
    for pk, case_id, advocate_id, at in unseen:
        yield allocation_due(Allocation(pk=pk, case_id=case_id, to_id=advocate_id, at=at))
    advised = (
        TriageDecision.objects.filter(
            decided_at__gte=now - datetime.timedelta(days=ADVICE_DAYS),
            referral__referred_by__isnull=False,
        )
        .exclude(advice="")
        .select_related("referral")
    )
    for decision in advised:
        yield advice_due(decision, referral=decision.referral)
