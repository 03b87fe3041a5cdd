"""A case from referral to closure and back, as the people do it, through links and buttons only:
an officer refers; the coordinator triages it high, accepting it with advice to the officer;
refers it to a named ISAC through the case page's own button; the ISAC finds it at the top of
their home page and records a DASH that scores lower; the case stays high until its owner
decides, with a reason; a note goes on through the case page's own form; the case is closed with
an outcome, leaves the case list and the caseloads, and is reopened."""

import re

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from referrals.models import Case, CaseNote, Referral, RiskAssessment
from stalking_clinic.accounts.models import Agency, Role

from ..factories import AgencyFactory
from .conftest import refer_as_officer


def _work_item(page, label):
    return page.get_by_test_id("work-list").locator("li", has_text=label)


@pytest.mark.django_db(transaction=True)
def test_a_case_from_referral_to_closure_and_reopening(signed_in, make_user, mailoutbox):
    call_command("load_question_sets", verbosity=0)
    advocacy = AgencyFactory(name="Demo Advocacy", kind=Agency.Kind.ISAC_SERVICE, is_partner=False)
    officer = make_user(Role.OFFICER, username="l_officer", first_name="Olly")
    coordinator = make_user(Role.COORDINATOR, username="l_coord", first_name="Cora")
    isac = make_user(Role.ISAC, username="l_isac", first_name="Isla", agency=advocacy)
    make_user(Role.ISAC, username="l_isac2", first_name="Ivan", agency=advocacy)

    # The officer refers, answering the S-DASH they already asked the victim.
    page = signed_in(officer)
    refer_as_officer(
        page,
        refs=("CR/2026/0000999", "P777001", "P777002"),
        last_name="Lifecycle",
        unwanted="Waits outside her work every evening.",
    )
    referral = Referral.objects.get()

    # The coordinator triages it: high, accepted for the clinic, with advice to the officer.
    page = signed_in(coordinator)
    page.get_by_role("link", name="Referrals waiting for triage").click()
    page.get_by_role("link", name=referral.reference).click()
    expect(page.get_by_text("Waits outside her work every evening.")).to_be_visible()
    page.get_by_role("group", name="Risk level").get_by_label("High").check()
    page.get_by_label("Reasons for this risk level").fill("Daily loitering at work; escalating.")
    page.get_by_label("Owner").select_option(label=coordinator.display_name)
    page.get_by_label("Accept for clinic management").check()
    page.get_by_role("textbox", name="Advice to the officer").fill(
        "Record it as s.2A stalking, not harassment."
    )
    page.get_by_role("button", name="Save decision").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("C-")
    case = Case.objects.get()
    assert (case.status, case.risk_level, case.owner) == ("open", "high", coordinator)
    advice_mail = [m for m in mailoutbox if officer.email in m.to]
    assert advice_mail and "Lifecycle" not in advice_mail[0].body

    # On the case page: refer it to a named ISAC through the banner's own button.
    banner = page.get_by_test_id("isac-prompt")
    banner.get_by_label("Reason for referring to the ISAC service").fill("High risk, needs an ISAC")
    banner.get_by_label(isac.display_name).check()
    banner.get_by_role("button", name="Refer to the ISAC service").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("referred")
    expect(page.get_by_test_id("advocate")).to_contain_text(isac.display_name)
    told = [m for m in mailoutbox if isac.email in m.to]
    assert told and f"/referrals/cases/{case.pk}/" in told[0].body
    assert "Lifecycle" not in told[0].body and "Vera" not in told[0].body

    # The officer sees the advice on their referral.
    officer_page = signed_in(officer)
    officer_page.get_by_role("link", name=re.compile("Decisions and advice")).click()
    expect(officer_page.get_by_test_id("my-referrals")).to_contain_text(referral.reference)
    officer_page.get_by_role("link", name=referral.reference).click()
    expect(officer_page.get_by_text("Record it as s.2A stalking, not harassment.")).to_be_visible()

    # The ISAC finds the case at the top of their home page and records a lower DASH.
    page = signed_in(isac)
    first = page.get_by_test_id("work-list").locator("li").first
    expect(first).to_contain_text("New cases allocated to you")
    first.get_by_role("link").click()
    page.get_by_role("link", name=case.reference).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(case.reference)
    page.get_by_role("link", name="Record DASH").click()
    for radio in page.locator("input[type=radio][name^=answer_][value=no]").all():
        radio.check()
    page.get_by_role("group", name="What level of risk do you judge?").get_by_label(
        "Standard"
    ).check()
    page.get_by_role("button", name="Save assessment").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text(
        "The case stays high until its owner"
    )
    expect(page.get_by_test_id("risk-decided")).to_contain_text("High")
    assert RiskAssessment.objects.get().proposal == RiskAssessment.Proposal.PENDING
    page.goto("/")
    expect(_work_item(page, "New cases allocated to you")).to_have_count(0)

    # The owner decides, with a reason, from their home page.
    page = signed_in(coordinator)
    page.get_by_role("link", name="Risk proposals waiting for your decision").click()
    page.get_by_role("link", name=case.reference).first.click()
    if page.get_by_role("link", name="Decide on the proposed risk level").count():
        page.get_by_role("link", name="Decide on the proposed risk level").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Decide on the proposed risk level")
    page.get_by_role("group", name="Risk level").get_by_label("Medium").check()
    page.get_by_label("Reasons for your decision").fill(
        "Moved house; no contact for three weeks. Keep medium, not standard, for now."
    )
    page.get_by_role("button", name="Save the decision").click()
    expect(page.get_by_test_id("risk-decided")).to_contain_text("Medium")
    expect(page.get_by_test_id("risk-history")).to_contain_text("Moved house")
    case.refresh_from_db()
    assert case.risk_level == "medium"

    # A note through the case page's own form.
    page.get_by_text("Add a note").click()
    page.get_by_role("textbox", name="Note", exact=True).fill(
        "Victim told of the decision by phone."
    )
    page.get_by_role("button", name="Add note").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("Note added")
    expect(page.get_by_test_id("timeline")).to_contain_text("Victim told of the decision by phone.")
    assert CaseNote.objects.filter(case=case, text__startswith="Victim told").exists()

    # A criminal justice outcome, then the case is closed with the outcome of the clinic's work.
    page.get_by_role("link", name="Record an outcome").click()
    page.get_by_label("Charged").check()
    page.get_by_label("Stalking (s.2A Protection from Harassment Act 1997)").check()
    page.get_by_label("Date of the outcome").fill("2/12/2026")
    page.get_by_role("button", name="Record the outcome").click()
    expect(page.get_by_test_id("outcomes")).to_contain_text("Charged")

    nav = page.get_by_role("navigation", name="Referrals and cases")
    nav.get_by_role("link", name="Caseloads").click()
    advocate_total = page.get_by_role("link", name=f"open cases of {isac.display_name}")
    expect(advocate_total).to_have_text(f"1 open cases of {isac.display_name}")
    page.go_back()

    page.get_by_role("link", name="Close the case").click()
    page.get_by_label("Risk reduced").check()
    page.get_by_label("Outcome of the clinic's work").fill(
        "Suspect charged with s.2A stalking; victim safe at her new address."
    )
    page.get_by_role("button", name="Close the case").click()
    expect(page.get_by_test_id("case-status")).to_contain_text("Risk reduced")
    case.refresh_from_db()
    assert case.status == "closed"

    # It leaves the open case list and the caseloads.
    nav = page.get_by_role("navigation", name="Referrals and cases")
    nav.get_by_role("link", name="Caseloads").click()
    expect(advocate_total).to_have_text(f"0 open cases of {isac.display_name}")
    nav.get_by_role("link", name="Cases").click()
    expect(page.get_by_role("link", name=case.reference)).to_have_count(0)

    # And is reopened, with a reason.
    page.get_by_label("Status").select_option("closed")
    page.get_by_role("button", name=re.compile("Apply|Filter")).click()
    page.get_by_role("link", name=case.reference).click()
    page.get_by_role("link", name="Reopen the case").click()
    page.get_by_label("Why is the case being reopened?").fill("Suspect seen near her new home.")
    page.get_by_role("button", name="Reopen the case").click()
    expect(page.get_by_role("link", name="Close the case")).to_be_visible()
    expect(page.get_by_test_id("timeline")).to_contain_text("Suspect seen near her new home.")
    case.refresh_from_db()
    assert case.status == "open"
