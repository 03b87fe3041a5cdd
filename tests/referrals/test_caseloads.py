"""Caseloads: open cases by risk per ISAC advocate and per case owner, and those waiting for an
advocate, each count a link to the case list so filtered; for the coordinator and tactical lead."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from referrals.models import AgencyReferral, Case
from stalking_clinic.accounts.models import Role

from .factories import CaseFactory

pytestmark = pytest.mark.django_db
URL = reverse("referrals:caseloads")


@pytest.fixture
def isac2(make_user, isac_service):
    return make_user(Role.ISAC, username="isac_two", first_name="Ivy", agency=isac_service)


def _case(owner, risk, *, service=None, advocate=None, status=Case.Status.OPEN):
    case = CaseFactory(owner=owner, risk_level=risk, status=status)
    if service:
        AgencyReferral.objects.create(
            case=case, agency=service, reason="x", referred_by=owner, advocate=advocate
        )
    return case


def _rows(page, key):
    return {(load.user.pk if load.user else None): load for load in page.context[key]}


def test_caseloads_count_open_cases_by_risk_and_link_to_them(
    client, coordinator, isac, isac2, isac_service
):
    high = _case(coordinator, "high", service=isac_service, advocate=isac)
    _case(coordinator, "medium", service=isac_service, advocate=isac)
    _case(coordinator, "high", service=isac_service)
    _case(isac, "standard")
    _case(coordinator, "high", service=isac_service, advocate=isac, status=Case.Status.CLOSED)
    client.force_login(coordinator)
    page = client.get(URL)
    advocates = _rows(page, "advocates")
    assert advocates[isac.pk].by_risk() == [("high", 1), ("medium", 1), ("standard", 0)]
    assert advocates[isac2.pk].total == 0
    assert page.context["unallocated"].by_risk() == [("high", 1), ("medium", 0), ("standard", 0)]
    owners = _rows(page, "owners")
    assert owners[coordinator.pk].by_risk() == [("high", 2), ("medium", 1), ("standard", 0)]
    assert owners[isac.pk].total == 1
    html = page.content.decode()
    link = f"{reverse('referrals:case_list')}?advocate={isac.pk}&amp;risk=high"
    assert link in html
    listed = client.get(f"{reverse('referrals:case_list')}?advocate={isac.pk}&risk=high")
    assert [c.pk for c in listed.context["cases"]] == [high.pk]
    waiting = client.get(f"{reverse('referrals:case_list')}?advocate=none")
    assert len(waiting.context["cases"]) == 1
    by_owner = client.get(f"{reverse('referrals:case_list')}?owner={isac.pk}")
    assert len(by_owner.context["cases"]) == 1
    # Staff names only: the page shows no victim.
    assert high.victim.last_name not in html


def test_caseloads_cost_the_same_queries_however_many_cases(
    client, coordinator, isac, isac_service
):
    client.force_login(coordinator)
    client.get(URL)
    _case(coordinator, "high", service=isac_service, advocate=isac)
    with CaptureQueriesContext(connection) as few:
        client.get(URL)
    for risk in ("high", "medium", "standard"):
        for _ in range(3):
            _case(coordinator, risk, service=isac_service, advocate=isac)
    with CaptureQueriesContext(connection) as many:
        client.get(URL)
    assert len(many) == len(few)


@pytest.mark.parametrize("role", [Role.COORDINATOR, Role.TACTICAL_LEAD])
def test_coordinator_and_tactical_lead_see_caseloads_linked_from_the_subnav(client, persona, role):
    client.force_login(persona(role))
    page = client.get(reverse("referrals:case_list"))
    assert f'href="{URL}"' in page.content.decode()
    assert client.get(URL).status_code == 200


@pytest.mark.parametrize("role", [Role.ISAC, Role.SOLICITOR, Role.OFFICER, Role.PARTNER])
def test_others_get_403(client, make_user, role, isac_service):
    client.force_login(make_user(role, agency=isac_service if role == Role.ISAC else None))
    assert client.get(URL).status_code == 403
