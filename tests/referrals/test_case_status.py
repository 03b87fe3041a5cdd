"""Closing a case and reopening it: through the case page's own buttons, by those who decide on
the case, on the version they saw, audited and on the timeline."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from referrals.models import Case, CaseStatusChange, CloseReason, Referral
from referrals.services.case_status import case_close, case_reopen, default_closed_review_on
from referrals.timeline import timeline_for
from stalking_clinic.accounts.models import Role
from stalking_clinic.audit.models import AuditEvent
from stalking_clinic.services import ChangedByAnotherUser, ServiceError

from ..pages import repeated_ids, submit
from .factories import CaseFactory, ReferralFactory
from .factories_safety import isac_elsewhere, isac_on

pytestmark = pytest.mark.django_db

TOMORROW = timezone.localdate() + datetime.timedelta(days=1)


@pytest.fixture
def case(coordinator):
    return CaseFactory(owner=coordinator)


def closed(case, by, **kwargs):
    kwargs = {"reason": CloseReason.RISK_REDUCED, "outcome": "Safety plan in place."} | kwargs
    case_close(case=case, version=case.version, by=by, review_on=TOMORROW, **kwargs)
    case.refresh_from_db()
    return case


def test_the_owner_closes_the_case_from_its_page(client, case, coordinator):
    client.force_login(coordinator)
    page = client.get(reverse("referrals:case_detail", args=[case.pk]))
    close_url = reverse("referrals:case_close", args=[case.pk])
    assert close_url in page.content.decode()

    form_page = client.get(close_url)
    assert not repeated_ids(form_page.content.decode())
    response = submit(
        client,
        form_page,
        "Close the case",
        {"reason": CloseReason.CONVICTED_MANAGED, "outcome": "Convicted of s.2A; on licence."},
        follow=True,
    )

    case.refresh_from_db()
    assert case.status == Case.Status.CLOSED
    assert case.closed_reason == CloseReason.CONVICTED_MANAGED
    assert case.closed_at is not None
    assert case.review_on == default_closed_review_on()
    assert case.version == 2
    change = CaseStatusChange.objects.get(case=case)
    assert (change.kind, change.reason, change.text, change.by) == (
        CaseStatusChange.Kind.CLOSED,
        CloseReason.CONVICTED_MANAGED,
        "Convicted of s.2A; on licence.",
        coordinator,
    )
    event = AuditEvent.objects.get(
        object_type="referrals.case", action=AuditEvent.Action.ALTERATION
    )
    assert event.actor == coordinator
    assert set(event.changed_fields) == {"status", "closed_reason", "closed_at", "review_on"}
    html = response.content.decode()
    assert f"Case {case.reference} closed." in html
    assert "Suspect convicted and managed" in html
    assert "Convicted of s.2A; on licence." in html
    assert reverse("referrals:case_reopen", args=[case.pk]) in html
    assert close_url not in html
    timeline = timeline_for(case, ["summary"])
    assert [entry.kind for entry in timeline][-1] == "Case closed"
