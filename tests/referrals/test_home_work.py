"""What the referrals area puts on people's home pages, and what the case page costs."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from referrals.models import AgencyReferral, CaseNote
from referrals.services.triage import referral_triage
from referrals.working_days import working_days_before

from .factories import CaseFactory, ReferralFactory

pytestmark = pytest.mark.django_db


def _work(client, user):
    client.force_login(user)
    return {item.label: item for item in client.get(reverse("home:index")).context["work"]}


def test_coordinator_sees_waiting_overdue_and_unreferred_high_risk(client, coordinator):
    ReferralFactory()
    old = working_days_before(timezone.localdate(), 5)
    ReferralFactory(
        submitted_at=timezone.make_aware(datetime.datetime.combine(old, datetime.time(9)))
    )
    CaseFactory(risk_level="high")
    work = _work(client, coordinator)
    assert work["Referrals waiting for triage"].count == 2
    assert work["Referrals past the triage target"].count == 1
    assert work["Referrals past the triage target"].urgent
    assert work["High-risk cases not referred to the ISAC service"].count == 1


def test_officer_is_told_about_decisions_on_their_referrals(client, officer, coordinator):
    referral = ReferralFactory(referred_by=officer)
    referral_triage(
        referral=referral,
        version=referral.version,
        by=coordinator,
        risk_level="standard",
        risk_reasons="One incident",
        owner=coordinator,
        outcome="advice",
        advice="Record it as harassment and keep us informed.",
    )
    work = _work(client, officer)
    assert work["Decisions and advice on your referrals (last 14 days)"].count == 1


def test_an_advocate_is_told_about_their_cases_not_yet_assessed(
    client, isac, isac_service, coordinator
):
    mine, the_services = CaseFactory(), CaseFactory()
    AgencyReferral.objects.create(
        case=mine, agency=isac_service, reason="x", referred_by=coordinator, advocate=isac
    )
    AgencyReferral.objects.create(
        case=the_services, agency=isac_service, reason="x", referred_by=coordinator
    )
    work = _work(client, isac)
    assert work["Your cases with no risk assessment yet"].count == 1
    assert work["Cases referred to your service waiting for an advocate"].count == 1


def test_case_page_costs_the_same_however_long_the_timeline(
    client, coordinator, django_assert_max_num_queries
):
    case = CaseFactory()
    client.force_login(coordinator)
    CaseNote.objects.create(case=case, text="first", author=coordinator)
    with django_assert_max_num_queries(60) as few:
        client.get(reverse("referrals:case_detail", args=[case.pk]))
    for n in range(25):
        CaseNote.objects.create(case=case, text=f"note {n}", author=coordinator)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(reverse("referrals:case_detail", args=[case.pk]))
    assert len(response.context["timeline"]) == 26


def test_my_referrals_costs_the_same_however_many(client, officer, django_assert_max_num_queries):
    client.force_login(officer)
    ReferralFactory(referred_by=officer)
    with django_assert_max_num_queries(20) as few:
        client.get(reverse("referrals:mine"))
    for _ in range(15):
        ReferralFactory(referred_by=officer)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(reverse("referrals:mine"))
    assert len(response.context["referrals"]) == 16
