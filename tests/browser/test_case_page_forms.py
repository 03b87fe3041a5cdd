"""The case page's own forms, used as the coordinator uses them in Chromium: add a note, share with
a partner agency, refer a high-risk case to the ISAC service and mark new police log entries as
read. Each posts to the view that saves it and the effect shows on the case page; a form left
incomplete says what is missing next to its field and keeps what was typed."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from referrals.models import AgencyReferral, CaseNote, Finding, RiskLevel, Share
from stalking_clinic.accounts.models import Agency, Role

from ..factories import AgencyFactory
from ..referrals.factories import CaseFactory


def _banner(page):
    return page.locator(".govuk-notification-banner--success")


@pytest.mark.django_db(transaction=True)
def test_each_case_page_form_through_its_own_button(page, sign_in, make_user):
    advocacy = AgencyFactory(name="Demo Advocacy", kind=Agency.Kind.ISAC_SERVICE, is_partner=False)
    AgencyFactory(name="Demo Probation", kind=Agency.Kind.PROBATION, is_partner=True)
    coordinator = make_user(Role.COORDINATOR, username="c_coord", first_name="Cora")
    case = CaseFactory(risk_level=RiskLevel.HIGH, owner=coordinator)
    yesterday = timezone.now() - datetime.timedelta(days=1)
    Finding.objects.create(
        key=f"S|{case.victim.person_ref}",
        kind=Finding.Kind.PATTERN,
        victim=case.victim,
        first_seen=yesterday,
        last_seen=timezone.now(),
        entry_count=3,
        score=5,
        status=Finding.Status.LINKED,
        case=case,
        reviewed_by=coordinator,
        reviewed_at=yesterday,
        updated_at=timezone.now(),
    )
    case_url = reverse("referrals:case_detail", args=[case.pk])

    sign_in(coordinator)
    page.get_by_role("navigation", name="Menu").get_by_role(
        "link", name="Referrals and cases"
    ).click()
    page.get_by_role("navigation", name="Referrals and cases").get_by_role(
        "link", name="Cases"
    ).click()
    page.get_by_role("link", name=case.reference).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(case.reference)

    # Add a note: nothing typed is refused next to the field; then the note is on the timeline.
    page.get_by_text("Add a note").click()
    page.get_by_role("button", name="Add note").click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_contain_text(case.reference)
    page.get_by_label("Note", exact=True).fill("Spoke to the victim: she moved to her sister's.")
    page.get_by_role("button", name="Add note").click()
    expect(_banner(page)).to_contain_text("Note added.")
    assert page.url.endswith(case_url)
    expect(page.get_by_test_id("timeline")).to_contain_text("moved to her sister's")
    assert CaseNote.objects.filter(case=case, text__contains="sister").count() == 1

    # Share with probation: the reason goes in the share form's own box (not the ISAC one's).
    page.get_by_label("Partner agency").select_option(label="Demo Probation")
    page.get_by_label("Summary (people, relationship, risk)").check()
    page.get_by_label("Timeline and notes").check()
    page.get_by_role("button", name="Save sharing").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("required")
    expect(page.get_by_label("Timeline and notes")).to_be_checked()
    page.get_by_label("Reason for sharing").fill("Probation manage the suspect on licence.")
    page.get_by_role("button", name="Save sharing").click()
    expect(_banner(page)).to_contain_text("Shared with Demo Probation")
    expect(page.get_by_test_id("shares")).to_contain_text("Demo Probation")
    assert Share.objects.get(case=case).sections == [
        Share.Section.SUMMARY,
        Share.Section.TIMELINE,
    ]

    # The high-risk case is referred to the ISAC service from the banner that asks for it.
    prompt = page.get_by_test_id("isac-prompt")
    prompt.get_by_label("Reason for referring to the ISAC service").fill(
        "High risk: the victim needs an advocate."
    )
    prompt.get_by_role("button", name="Refer to the ISAC service").click()
    expect(_banner(page)).to_contain_text(f"Case {case.reference} referred to Demo Advocacy.")
    expect(page.get_by_test_id("isac-prompt")).to_have_count(0)
    assert AgencyReferral.objects.filter(case=case, agency=advocacy).exists()

    # The new police log entries are marked as read, and the banner about them goes.
    log_banner = page.get_by_test_id("new-log-entries")
    expect(log_banner).to_be_visible()
    log_banner.get_by_role("button", name="Mark as read").click()
    expect(page.get_by_test_id("new-log-entries")).to_have_count(0)
    expect(page.get_by_role("heading", level=1)).to_contain_text(case.reference)
