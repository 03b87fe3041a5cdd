"""The home page: "my work" for the signed-in role, the areas it may use, and the headers that keep
sensitive pages out of caches."""

import pytest
from django.contrib.sessions.models import Session
from django.urls import reverse
from django.utils import timezone

from stalking_clinic.accounts.models import Role
from stalking_clinic.accounts.tasks import clear_expired_sessions
from stalking_clinic.audit.models import AuditEvent

pytestmark = pytest.mark.django_db


def test_home_shows_name_role_and_only_permitted_areas(client, persona):
    solicitor = persona(Role.SOLICITOR)
    client.force_login(solicitor)
    page = client.get(reverse("home:index")).content.decode()
    assert solicitor.display_name in page
    assert "Solicitor" in page
    assert "Protection orders" in page
    assert "Audit log" not in page
    assert 'href="/training/"' in page


def test_partner_sees_no_protection_orders_or_training(client, partner):
    client.force_login(partner)
    page = client.get(reverse("home:index")).content.decode()
    assert partner.agency.name in page
    assert 'href="/protection-orders/"' not in page
    assert 'href="/training/"' not in page


def test_account_without_role_is_told_so(client, outsider):
    client.force_login(outsider)
    page = client.get(reverse("home:index")).content.decode()
    assert "Your account has no role yet" in page


def test_administrator_is_shown_accounts_needing_a_role(client, administrator, outsider):
    client.force_login(administrator)
    work = client.get(reverse("home:index")).context["work"]
    assert [(w.label, w.count) for w in work] == [("Active accounts with no role", 1)]


def test_pages_for_signed_in_users_are_never_cached_and_carry_a_csp(client, coordinator):
    client.force_login(coordinator)
    response = client.get(reverse("home:index"))
    assert response["Cache-Control"] == "no-store"
    csp = response["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "'nonce-" in csp
    assert response["X-Frame-Options"] == "DENY"


def test_about_pdf_describes_the_system_to_its_reader(client, coordinator, fake_pdf):
    client.force_login(coordinator)
    response = client.get(reverse("home:about_pdf"))
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")
    assert "How information is handled" in fake_pdf["html"]
    assert f"for {coordinator.display_name}" in fake_pdf["html"]
    event = AuditEvent.objects.get(action=AuditEvent.Action.DISCLOSURE)
    assert (event.actor, event.recipient) == (coordinator, coordinator.username)


def test_recent_activity_lists_my_own_events_only(client, coordinator, officer):
    client.force_login(officer)
    client.force_login(coordinator)
    AuditEvent.objects.create(actor=officer, action=AuditEvent.Action.CONSULTATION)
    recent = client.get(reverse("home:index")).context["recent"]
    assert {event.actor for event in recent} <= {coordinator}


def test_expired_sessions_are_cleared_by_the_periodic_task(client, coordinator):
    client.force_login(coordinator)
    Session.objects.update(expire_date=timezone.now() - timezone.timedelta(minutes=1))
    clear_expired_sessions.delay()
    assert not Session.objects.exists()


def test_a_refused_page_explains_itself_in_the_service_style(client, partner):
    client.force_login(partner)
    response = client.get(reverse("spo:index"))
    assert response.status_code == 403
    page = response.content.decode()
    assert "You do not have access to this page" in page
    assert "Stalking Clinic" in page
