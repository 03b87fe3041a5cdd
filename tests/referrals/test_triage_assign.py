"""Assigning a referral from its triage page: the "Assign" form sits beside the triage form, each
with its own hidden version, and posts to the assign view."""

import pytest
from django.urls import reverse

from ..pages import repeated_ids, submit
from .factories import ReferralFactory

pytestmark = pytest.mark.django_db


def test_assign_through_the_triage_pages_own_button(client, coordinator, persona):
    lead = persona("tactical_lead")
    referral = ReferralFactory()
    client.force_login(coordinator)
    page = client.get(reverse("referrals:triage", args=[referral.pk]))
    assert repeated_ids(page.content.decode()) == []
    response = submit(client, page, "Assign", {"assign-assigned_to": lead.pk}, follow=True)
    referral.refresh_from_db()
    assert referral.assigned_to == lead
    assert f"Referral {referral.reference} assigned to {lead.display_name}." in (
        response.content.decode()
    )


def test_an_assignment_from_a_stale_page_is_refused_with_a_message(client, coordinator, persona):
    lead = persona("tactical_lead")
    referral = ReferralFactory()
    client.force_login(coordinator)
    stale = client.get(reverse("referrals:triage", args=[referral.pk]))
    submit(client, stale, "Assign", {"assign-assigned_to": coordinator.pk})
    response = submit(client, stale, "Assign", {"assign-assigned_to": lead.pk}, follow=True)
    referral.refresh_from_db()
    assert referral.assigned_to == coordinator
    assert response.redirect_chain[-1][0] == reverse("referrals:triage", args=[referral.pk])
    assert "Someone else changed this referral while you were looking at it." in (
        response.content.decode()
    )
