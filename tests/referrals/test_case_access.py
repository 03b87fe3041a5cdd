"""Who sees which case, and which parts of it; sharing is an explicit, recorded act."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from referrals.access import case_sections_for, cases_visible_to
from referrals.models import AgencyReferral, CaseNote, Share
from referrals.services.cases import case_share
from stalking_clinic.accounts.models import Role
from stalking_clinic.audit.models import AuditEvent
from stalking_clinic.services import ServiceError

from ..factories import AgencyFactory
from ..pages import repeated_ids, submit
from .factories import CaseFactory

pytestmark = pytest.mark.django_db


def _detail(client, case):
    return client.get(reverse("referrals:case_detail", args=[case.pk]))


def test_coordinator_tactical_lead_and_solicitor_see_every_case(persona):
    cases = {CaseFactory(), CaseFactory()}
    for role in (Role.COORDINATOR, Role.TACTICAL_LEAD, Role.SOLICITOR):
        assert set(cases_visible_to(persona(role))) == cases


def test_isac_sees_only_cases_referred_to_their_service(client, isac, isac_service, coordinator):
    referred, other = CaseFactory(), CaseFactory()
    AgencyReferral.objects.create(
        case=referred, agency=isac_service, reason="High risk", referred_by=coordinator
    )
    assert list(cases_visible_to(isac)) == [referred]
    client.force_login(isac)
    assert _detail(client, referred).status_code == 200
    assert _detail(client, other).status_code == 404


def test_partner_sees_only_shared_cases_and_only_shared_sections(
    client, probation_user, probation, coordinator
):
    shared, not_shared = CaseFactory(), CaseFactory()
    CaseNote.objects.create(case=shared, text="Private clinic note", author=coordinator)
    case_share(
        case=shared,
        agency=probation,
        sections=["summary"],
        reason="Manages suspect",
        by=coordinator,
    )
    client.force_login(probation_user)
    assert _detail(client, not_shared).status_code == 404
    response = _detail(client, shared)
    assert response.status_code == 200
    page = response.content.decode()
    assert shared.victim.full_name in page
    assert "Private clinic note" not in page
    assert case_sections_for(probation_user, shared) == {"summary"}


def test_partner_cannot_add_notes_or_share(client, probation_user, probation, coordinator):
    case = CaseFactory()
    case_share(
        case=case, agency=probation, sections=["summary", "timeline"], reason="x", by=coordinator
    )
    client.force_login(probation_user)
    assert (
        client.post(reverse("referrals:note_add", args=[case.pk]), {"text": "x"}).status_code == 403
    )
    assert client.get(reverse("referrals:share", args=[case.pk])).status_code == 403


def test_officer_and_outsider_cannot_open_cases(client, officer, outsider):
    case = CaseFactory()
    for user in (officer, outsider):
        client.force_login(user)
        assert _detail(client, case).status_code == 403


def test_viewing_a_case_is_audited_as_consultation(client, coordinator):
    case = CaseFactory()
    client.force_login(coordinator)
    _detail(client, case)
    event = AuditEvent.objects.get(action=AuditEvent.Action.CONSULTATION)
    assert (event.actor, event.object_label) == (coordinator, f"Case {case.reference}")


def test_sharing_through_the_page_is_recorded_with_reason_and_recipient(
    client, coordinator, probation
):
    case = CaseFactory()
    client.force_login(coordinator)
    response = submit(
        client,
        _detail(client, case),
        "Save sharing",
        {
            "share-agency": probation.pk,
            "share-sections": ["summary", "assessments"],
            "share-reason": "MAPPA",
        },
    )
    assert response.status_code == 302
    assert Share.objects.get().sections == ["summary", "assessments"]
    event = AuditEvent.objects.get(action=AuditEvent.Action.DISCLOSURE)
    assert event.recipient == str(probation) and "MAPPA" in event.justification
    # Like a consultation, the share is logged with the page and the address it came from.
    assert event.path == reverse("referrals:share", args=[case.pk])
    assert event.ip_address == "127.0.0.1"


def test_stopping_sharing_through_the_page_is_logged_with_path_and_address(
    client, coordinator, probation
):
    case = CaseFactory()
    case_share(case=case, agency=probation, sections=["summary"], reason="x", by=coordinator)
    client.force_login(coordinator)
    response = submit(
        client,
        _detail(client, case),
        "Save sharing",
        {"share-agency": probation.pk, "share-sections": [], "share-reason": "Case closed"},
    )
    assert response.status_code == 302
    assert not Share.objects.exists()
    event = AuditEvent.objects.get(action=AuditEvent.Action.ALTERATION, changed_fields=["shares"])
    assert event.path == reverse("referrals:share", args=[case.pk])
    assert event.ip_address == "127.0.0.1"


def test_sharing_without_a_reason_is_explained(client, coordinator, probation):
    case = CaseFactory()
    client.force_login(coordinator)
    response = submit(
        client,
        _detail(client, case),
        "Save sharing",
        {"share-agency": probation.pk, "share-sections": ["summary"]},
    )
    assert response.context["share_form"].errors["reason"] == ["This field is required."]
    assert not Share.objects.exists()


def test_unsharing_removes_access(coordinator, probation, probation_user):
    case = CaseFactory()
    case_share(case=case, agency=probation, sections=["summary"], reason="x", by=coordinator)
    case_share(case=case, agency=probation, sections=[], reason="No longer needed", by=coordinator)
    assert not cases_visible_to(probation_user).exists()


def test_only_partner_agencies_are_shared_with(coordinator, isac_service):
    with pytest.raises(ServiceError):
        case_share(
            case=CaseFactory(),
            agency=isac_service,
            sections=["summary"],
            reason="x",
            by=coordinator,
        )


def test_high_risk_case_prompts_referral_to_isac_and_the_coordinator_refers(
    client, coordinator, isac_service
):
    case = CaseFactory(risk_level="high")
    client.force_login(coordinator)
    assert "not been referred to the ISAC service" in _detail(client, case).content.decode()
    page = _detail(client, case)
    assert repeated_ids(page.content.decode()) == []
    response = submit(client, page, "Refer to the ISAC service", {"isac-reason": "High risk"})
    assert response.status_code == 302
    assert AgencyReferral.objects.get(case=case).agency == isac_service
    assert "not been referred to the ISAC service" not in _detail(client, case).content.decode()


def test_case_list_uses_constant_queries(client, coordinator, django_assert_max_num_queries):
    client.force_login(coordinator)
    for _ in range(3):
        CaseFactory()
    with django_assert_max_num_queries(10) as few:
        client.get(reverse("referrals:case_list"))
    for _ in range(20):
        CaseFactory()
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(reverse("referrals:case_list"))
    assert len(response.context["cases"]) == 23


def test_other_apps_ask_can_with_the_case(isac, isac_service, coordinator):
    from stalking_clinic.access import Perm, can

    referred, other = CaseFactory(), CaseFactory()
    AgencyReferral.objects.create(
        case=referred, agency=isac_service, reason="x", referred_by=coordinator
    )
    assert can(isac, Perm.CASES_VIEW, referred)
    assert not can(isac, Perm.CASES_VIEW, other)
    assert can(coordinator, Perm.CASES_VIEW, other)


def test_the_case_page_names_each_shared_section(client, coordinator, probation):
    case = CaseFactory()
    case_share(
        case=case,
        agency=probation,
        sections=["summary", "safety_plan", "victim_voice"],
        reason="Manages suspect",
        by=coordinator,
    )
    client.force_login(coordinator)
    page = _detail(client, case).content.decode()
    shares = page[page.index('data-testid="shares"') :].split("</dd>")[0]
    assert "Safety plan" in shares and "Victim&#x27;s voice" in shares
    assert "safetyplan" not in shares and "victimvoice" not in shares


def test_a_note_added_through_the_case_page_is_on_its_timeline(client, coordinator):
    case = CaseFactory()
    client.force_login(coordinator)
    response = submit(
        client, _detail(client, case), "Add note", {"note-text": "Spoke to the OIC"}, follow=True
    )
    assert "Note added." in response.content.decode()
    assert "Spoke to the OIC" in response.content.decode()
    assert CaseNote.objects.get(case=case).text == "Spoke to the OIC"


def test_an_empty_note_is_refused_on_the_case_page_with_the_other_forms_intact(client, coordinator):
    case = CaseFactory()
    client.force_login(coordinator)
    response = submit(client, _detail(client, case), "Add note", {"note-text": "  "})
    assert response.status_code == 200
    assert response.context["note_form"].errors["text"]
    assert not CaseNote.objects.exists()


# A partner shared every section is still a partner ---------------------------------------------


def _shared_everything(probation, coordinator):
    from django.utils import timezone

    from referrals.models import Finding

    case = CaseFactory(owner=coordinator)
    AgencyReferral.objects.create(
        case=case, agency=AgencyFactory(name="Advocacy (test)"), reason="x", referred_by=coordinator
    )
    case_share(
        case=case,
        agency=probation,
        sections=list(Share.Section.values),
        reason="Manages the suspect",
        by=coordinator,
    )
    now = timezone.now()
    finding = Finding.objects.create(
        key="P1|P2",
        kind=Finding.Kind.PATTERN,
        victim_id=case.victim.person_ref,
        first_seen=now,
        last_seen=now,
        entry_count=3,
        score=3,
        case=case,
        status=Finding.Status.LINKED,
        reviewed_by=coordinator,
        reviewed_at=now - timezone.timedelta(days=1),
        updated_at=now,
    )
    return case, finding


def test_a_partner_shared_every_section_sees_no_clinic_staff_parts_of_the_case(
    client, probation_user, probation, coordinator
):
    case, _ = _shared_everything(probation, coordinator)
    sections = case_sections_for(probation_user, case)
    assert sections == set(Share.Section.values) and not sections.whole
    client.force_login(probation_user)
    response = _detail(client, case)
    page = response.content.decode()
    assert response.status_code == 200
    assert not response.context["full_access"]
    # The case summary's "Referred to" and "Shared with" rows are the clinic's.
    assert ">Shared with</dt>" not in page and ">Referred to</dt>" not in page
    assert 'data-testid="new-log-entries"' not in page
    client.force_login(coordinator)
    page = _detail(client, case).content.decode()
    assert ">Shared with</dt>" in page and 'data-testid="new-log-entries"' in page


def test_a_partner_shared_every_section_cannot_clear_the_owners_new_entries_alert(
    client, probation_user, probation, coordinator
):
    case, finding = _shared_everything(probation, coordinator)
    client.force_login(probation_user)
    response = client.post(reverse("referrals:log_entries_seen", args=[case.pk]))
    assert response.status_code == 403
    before = finding.reviewed_at
    finding.refresh_from_db()
    assert finding.reviewed_at == before and finding.reviewed_by == coordinator


def test_a_partner_shared_every_section_cannot_act_on_the_case(
    client, probation_user, probation, coordinator
):
    from referrals.access import get_case_for_user, may_assess
    from referrals.selectors.case_page import case_page
    from stalking_clinic.access import Perm

    case, _ = _shared_everything(probation, coordinator)
    for perm in (Perm.CASES_VIEW, Perm.CASE_NOTE, Perm.ASSESS):
        with pytest.raises(PermissionDenied):
            get_case_for_user(probation_user, case.pk, write=True, perm=perm)
    page = case_page(case, user=probation_user)
    assert not page["can_note"] and not page["can_share"] and page["allocation"] is None
    assert page["status_panel"] is None and not page["outcomes_panel"]["can_record"]
    assert not page["risk_panel"]["can_decide"]
    assert not page["safety_panel"]["can_edit_safety_plan"]
    assert not may_assess(probation_user, case, case_sections_for(probation_user, case))
