"""Allocation: a case referred to a named advocate of the ISAC service (from the case page and at
triage), who is emailed a link only and sees it at the top of their home page until they open
it; allocation and reallocation by the service's ISACs; owner changes, versioned; all audited
and on the timeline."""

import pytest
from django.conf import settings
from django.core import mail
from django.urls import reverse

from referrals.models import AgencyReferral, Allocation, TriageDecision
from referrals.services.allocation import case_allocate_advocate, case_owner_change
from stalking_clinic.accounts.models import Agency, Role
from stalking_clinic.audit.models import AuditEvent
from stalking_clinic.reminders import services as reminder_services
from stalking_clinic.reminders.models import Reminder
from stalking_clinic.reminders.services import send_reminders
from stalking_clinic.services import ChangedByAnotherUser, ServiceError

from ..core.test_reminders import FailingMail
from ..factories import AgencyFactory
from ..pages import repeated_ids, submit
from .factories import CaseFactory, ReferralFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def isac2(make_user, isac_service):
    return make_user(Role.ISAC, username="isac_two", first_name="Ivy", agency=isac_service)


def _detail(client, case):
    return client.get(reverse("referrals:case_detail", args=[case.pk]))


def _referred(case, isac_service, coordinator, advocate=None):
    return AgencyReferral.objects.create(
        case=case, agency=isac_service, reason="High risk", referred_by=coordinator,
        advocate=advocate,
    )  # fmt: skip


def test_referring_through_the_case_page_allocates_the_chosen_advocate_and_emails_a_link(
    client, coordinator, isac, isac2, django_capture_on_commit_callbacks
):
    case = CaseFactory(risk_level="high")
    client.force_login(coordinator)
    page = _detail(client, case)
    assert repeated_ids(page.content.decode()) == []
    with django_capture_on_commit_callbacks(execute=True):
        response = submit(
            client,
            page,
            "Refer to the ISAC service",
            {"isac-reason": "High risk", "isac-advocate": isac2.pk},
        )
    assert response.status_code == 302
    referral = AgencyReferral.objects.get(case=case)
    assert (referral.advocate, referral.advocate_seen_at) == (isac2, None)
    allocation = Allocation.objects.get(case=case)
    assert (allocation.kind, allocation.to, allocation.previous, allocation.by) == (
        Allocation.Kind.ADVOCATE, isac2, None, coordinator,
    )  # fmt: skip
    assert AuditEvent.objects.filter(
        action=AuditEvent.Action.ALTERATION, object_id=str(case.pk), changed_fields=["advocate"]
    ).exists()
    [email] = mail.outbox
    assert email.to == [isac2.email]
    assert settings.SITE_URL + reverse("referrals:case_detail", args=[case.pk]) in email.body
    for name in (case.victim.first_name, case.victim.last_name):
        assert name not in email.body and name not in email.subject
    for suspect in case.suspects.all():
        assert suspect.last_name not in email.body


def test_leaving_it_to_the_service_allocates_nobody(client, coordinator, isac):
    case = CaseFactory(risk_level="high")
    client.force_login(coordinator)
    submit(client, _detail(client, case), "Refer to the ISAC service", {"isac-reason": "High"})
    assert AgencyReferral.objects.get(case=case).advocate is None
    assert not Allocation.objects.exists()
    assert not Reminder.objects.exists()


def test_a_failed_email_to_the_advocate_is_retried_by_the_one_rule(
    coordinator, isac, isac_service, monkeypatch, django_capture_on_commit_callbacks
):
    failing = FailingMail()
    monkeypatch.setattr(reminder_services, "send_mail", failing)
    case = CaseFactory()
    _referred(case, isac_service, coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        case_allocate_advocate(case=case, advocate=isac, by=coordinator)
    reminder = Reminder.objects.get(kind="referrals.case_allocated")
    assert (failing.tries, reminder.attempts, reminder.emailed_at) == (1, 1, None)
    failing.failing = False
    send_reminders(now=reminder.next_attempt_at)
    reminder.refresh_from_db()
    assert reminder.emailed_at is not None and len(mail.outbox) == 1
    # The source yields it again each hour; it is never made or sent twice.
    assert send_reminders(now=reminder.next_attempt_at or reminder.emailed_at) == 0
    assert Reminder.objects.count() == 1


def test_the_hourly_job_makes_an_allocation_reminder_the_act_did_not(
    coordinator, isac, isac_service
):
    case = CaseFactory()
    _referred(case, isac_service, coordinator, advocate=isac)
    allocation = Allocation.objects.create(
        case=case, kind=Allocation.Kind.ADVOCATE, to=isac, by=coordinator
    )
    send_reminders()
    reminder = Reminder.objects.get(kind="referrals.case_allocated")
    assert (reminder.key, reminder.recipient) == (f"allocation:{allocation.pk}", isac)
    assert len(mail.outbox) == 1


def test_the_advocate_sees_a_new_case_at_the_top_of_their_home_page_until_they_open_it(
    client, coordinator, isac, isac_service
):
    case = CaseFactory()
    _referred(case, isac_service, coordinator)
    case_allocate_advocate(case=case, advocate=isac, by=coordinator)
    client.force_login(isac)
    work = client.get(reverse("home:index")).context["work"]
    assert (work[0].label, work[0].count) == ("New cases allocated to you", 1)
    listed = client.get(work[0].url)
    assert [c.pk for c in listed.context["cases"]] == [case.pk]
    _detail(client, case)
    assert AgencyReferral.objects.get(case=case).advocate_seen_at is not None
    # Opened: an email about it not sent yet is not sent.
    assert Reminder.objects.get(recipient=isac).dismissed_at is not None
    labels = [item.label for item in client.get(reverse("home:index")).context["work"]]
    assert "New cases allocated to you" not in labels
    # Opening it again changes nothing.
    seen = AgencyReferral.objects.get(case=case).advocate_seen_at
    _detail(client, case)
    assert AgencyReferral.objects.get(case=case).advocate_seen_at == seen


def test_isacs_of_the_service_see_cases_waiting_for_an_advocate_and_allocate_them(
    client, coordinator, isac, isac2, isac_service
):
    case = CaseFactory()
    _referred(case, isac_service, coordinator)
    client.force_login(isac)
    work = {item.label: item for item in client.get(reverse("home:index")).context["work"]}
    waiting = work["Cases referred to your service waiting for an advocate"]
    assert waiting.count == 1
    assert [c.pk for c in client.get(waiting.url).context["cases"]] == [case.pk]
    page = _detail(client, case)
    assert repeated_ids(page.content.decode()) == []
    response = submit(client, page, "Allocate", {"advocate-advocate": isac2.pk}, follow=True)
    assert f"allocated to {isac2.display_name}" in response.content.decode()
    assert AgencyReferral.objects.get(case=case).advocate == isac2


def test_reallocation_records_who_from_whom_and_why(client, coordinator, isac, isac2, isac_service):
    case = CaseFactory()
    _referred(case, isac_service, coordinator)
    case_allocate_advocate(case=case, advocate=isac, by=coordinator)
    client.force_login(coordinator)
    refused = submit(client, _detail(client, case), "Allocate", {"advocate-advocate": isac2.pk})
    assert refused.context["advocate_form"].errors["reason"] == [
        "Give the reason for reallocating the case."
    ]
    submit(
        client,
        _detail(client, case),
        "Allocate",
        {"advocate-advocate": isac2.pk, "advocate-reason": "Isla is on leave"},
    )
    allocation = Allocation.objects.filter(case=case).last()
    assert (allocation.to, allocation.previous, allocation.reason, allocation.by) == (
        isac2, isac, "Isla is on leave", coordinator,
    )  # fmt: skip
    timeline = _detail(client, case).content.decode()
    assert "Reallocated to" in timeline and "Isla is on leave" in timeline


def test_an_allocation_made_meanwhile_refuses_the_stale_one_naming_who(
    client, coordinator, isac, isac2, isac_service, make_user
):
    case = CaseFactory()
    _referred(case, isac_service, coordinator)
    client.force_login(coordinator)
    page = _detail(client, case)
    other = make_user(Role.TACTICAL_LEAD, first_name="Tariq", last_name="Lead")
    case_allocate_advocate(case=case, advocate=isac, by=other)
    response = submit(client, page, "Allocate", {"advocate-advocate": isac2.pk})
    assert "Tariq Lead allocated the case to" in response.content.decode()
    assert AgencyReferral.objects.get(case=case).advocate == isac
    # The form now stands for the current advocate: pressing again is a reallocation.
    again = submit(
        client, response, "Allocate", {"advocate-advocate": isac2.pk, "advocate-reason": "Leave"}
    )
    assert again.status_code == 302
    assert AgencyReferral.objects.get(case=case).advocate == isac2


def test_only_advocates_of_the_service_may_be_chosen(coordinator, isac_service, make_user):
    case = CaseFactory()
    _referred(case, isac_service, coordinator)
    with pytest.raises(ServiceError) as error:
        case_allocate_advocate(case=case, advocate=coordinator, by=coordinator)
    assert error.value.field == "advocate"
    stranger = make_user(Role.ISAC, agency=AgencyFactory(kind=Agency.Kind.ISAC_SERVICE))
    with pytest.raises(ServiceError):
        case_allocate_advocate(case=case, advocate=stranger, by=coordinator)


def test_an_isac_of_another_service_cannot_allocate(client, coordinator, isac_service, make_user):
    case = CaseFactory()
    _referred(case, isac_service, coordinator)
    other = make_user(Role.ISAC, agency=AgencyFactory(kind=Agency.Kind.ISAC_SERVICE))
    client.force_login(other)
    url = reverse("referrals:allocate_advocate", args=[case.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, {"advocate-advocate": other.pk}).status_code == 404


def test_outsiders_cannot_allocate_or_change_the_owner(client, coordinator, isac_service, outsider):
    case = CaseFactory()
    _referred(case, isac_service, coordinator)
    client.force_login(outsider)
    for name in ("allocate_advocate", "owner_change"):
        assert client.post(reverse(f"referrals:{name}", args=[case.pk])).status_code == 403


def test_the_partner_does_not_see_the_allocation_forms(client, partner, coordinator):
    from referrals.models import Share

    case = CaseFactory()
    Share.objects.create(
        case=case, agency=partner.agency, sections=["summary"], reason="x", shared_by=coordinator
    )
    client.force_login(partner)
    page = _detail(client, case)
    assert "advocate_form" not in page.context and "owner_form" not in page.context


def test_triage_refers_to_a_named_advocate(client, coordinator, isac, isac_service):
    referral = ReferralFactory()
    client.force_login(coordinator)
    page = client.get(reverse("referrals:triage", args=[referral.pk]))
    response = submit(
        client,
        page,
        "Save decision",
        {
            "risk_level": "high",
            "risk_reasons": "Threats",
            "outcome": TriageDecision.Outcome.REFER_ISAC,
            "advocate": isac.pk,
        },
    )
    assert response.status_code == 302
    decision = TriageDecision.objects.get(referral=referral)
    agency_referral = AgencyReferral.objects.get(case=decision.case)
    assert (agency_referral.agency, agency_referral.advocate) == (isac_service, isac)
    assert Reminder.objects.filter(recipient=isac, kind="referrals.case_allocated").exists()


def test_the_coordinator_changes_the_owner_with_a_reason(client, coordinator, persona):
    lead = persona(Role.TACTICAL_LEAD)
    case = CaseFactory(owner=coordinator)
    client.force_login(coordinator)
    page = _detail(client, case)
    refused = submit(client, page, "Change owner", {"owner-owner": lead.pk})
    assert refused.context["owner_form"].errors["reason"]
    response = submit(
        client, page, "Change owner", {"owner-owner": lead.pk, "owner-reason": "Caseload"}
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert (case.owner, case.version) == (lead, 2)
    allocation = Allocation.objects.get(case=case)
    assert (allocation.kind, allocation.previous, allocation.reason) == (
        Allocation.Kind.OWNER, coordinator, "Caseload",
    )  # fmt: skip
    assert AuditEvent.objects.filter(
        action=AuditEvent.Action.ALTERATION, object_id=str(case.pk), changed_fields=["owner"]
    ).exists()
    assert "Owner changed" in _detail(client, case).content.decode()


def test_a_stale_owner_change_is_refused_naming_who_changed_the_case(
    client, coordinator, persona, make_user
):
    lead = persona(Role.TACTICAL_LEAD)
    case = CaseFactory(owner=coordinator)
    client.force_login(coordinator)
    page = _detail(client, case)
    other = make_user(Role.COORDINATOR, first_name="Cora", last_name="Other")
    case_owner_change(case=case, version=1, owner=lead, reason="Leave", by=other)
    response = submit(
        client, page, "Change owner", {"owner-owner": coordinator.pk, "owner-reason": "Back"}
    )
    assert response.status_code == 200
    assert "Cora Other changed this case" in response.content.decode()
    case.refresh_from_db()
    assert case.owner == lead
    with pytest.raises(ChangedByAnotherUser):
        case_owner_change(case=case, version=1, owner=coordinator, reason="x", by=coordinator)
    # The form shown again carries the version now saved: pressing again saves.
    again = submit(client, response, "Change owner")
    assert again.status_code == 302


def test_an_isac_may_not_change_the_owner(client, isac, isac_service, coordinator):
    case = CaseFactory()
    _referred(case, isac_service, coordinator)
    client.force_login(isac)
    assert "owner_form" not in _detail(client, case).context
    assert client.get(reverse("referrals:owner_change", args=[case.pk])).status_code == 403
