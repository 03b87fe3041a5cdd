"""The referrals journey as people do it: an officer refers, the coordinator triages it high and
refers to the ISAC service, the ISAC assesses and plans for safety, and the case page shows it all
in order; a partner agency cannot open a case that was not shared with it."""

import re

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from referrals.models import Case, Referral
from stalking_clinic.accounts.models import Agency, Role

from ..factories import AgencyFactory
from .conftest import refer_as_officer


@pytest.mark.django_db(transaction=True)
def test_officer_refers_coordinator_triages_isac_assesses(signed_in, make_user):
    call_command("load_question_sets", verbosity=0)
    advocacy = AgencyFactory(name="Demo Advocacy", kind=Agency.Kind.ISAC_SERVICE, is_partner=False)
    probation = AgencyFactory(name="Demo Probation", kind=Agency.Kind.PROBATION)
    officer = make_user(Role.OFFICER, username="j_officer", first_name="Olly")
    coordinator = make_user(Role.COORDINATOR, username="j_coord", first_name="Cora")
    isac = make_user(Role.ISAC, username="j_isac", first_name="Isla", agency=advocacy)
    partner = make_user(Role.PARTNER, username="j_partner", agency=probation)

    # The officer refers.
    page = signed_in(officer)
    refer_as_officer(
        page,
        refs=("CR/2026/0000777", "P555001", "P555002"),
        last_name="Journeytest",
        unwanted="Waits outside her flat most nights.",
        repeated="Five times in two weeks.",
    )
    referral = Referral.objects.get()

    # The coordinator triages it high and refers it to the ISAC service.
    page = signed_in(coordinator)
    page.get_by_role("link", name="Referrals waiting for triage").click()
    page.get_by_role("link", name=referral.reference).click()
    page.get_by_role("group", name="Risk level").get_by_label("High").check()
    page.get_by_label("Reasons for this risk level").fill("Nightly loitering; victim terrified.")
    page.get_by_label("Refer to the ISAC service").check()
    page.get_by_role("button", name="Save decision").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("C-")
    case = Case.objects.get()
    assert case.risk_level == "high"

    # The ISAC records an S-DASH, a Stalking Risk Profile and a safety plan action.
    page = signed_in(isac)
    page.goto(f"/referrals/cases/{case.pk}/")
    page.get_by_role("link", name="Record S-DASH").click()
    for radio_group in page.locator("input[type=radio][name^=answer_][value=yes]").all():
        radio_group.check()
    page.get_by_role("group", name="What level of risk do you judge?").get_by_label("High").check()
    page.get_by_label("Reasons for your judgement").fill("Every screening question answered yes.")
    page.get_by_role("button", name="Save assessment").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(case.reference)

    page.get_by_role("link", name="Record Stalking Risk Profile").click()
    page.get_by_label("Prior relationship between the stalker and the victim").fill("Ex-partners")
    page.locator("input[name=motivation][value=rejected]").check()
    for domain in ("violence", "persistence", "recurrence", "psychosocial_damage"):
        page.locator(f"input[name={domain}][value=high]").check()
        page.locator(f"#id_{domain}_rationale").fill(f"{domain} judged high")
    page.get_by_label("Recommended management").fill("Apply for an SPO.")
    page.get_by_role("button", name="Save assessment").click()

    page.get_by_role("link", name="Add an action").click()
    page.get_by_label("What needs to be done").fill("Fit a video doorbell")
    page.get_by_label("Who will do it").fill("Police")
    page.get_by_role("button", name=re.compile("Add|Save")).click()

    # The case page shows it all, newest first.
    timeline = page.get_by_test_id("timeline").locator(".moj-timeline__title")
    titles = timeline.all_inner_texts()
    kinds = [title.split(":")[0] for title in titles]
    assert kinds[:5] == [
        "Safety plan",
        "Risk assessment",
        "Risk assessment",
        "Agency referral",
        "Triage decision",
    ]
    assert kinds[-1] == "Referral"
    expect(page.get_by_test_id("timeline")).to_contain_text("Stalking Risk Profile")
    expect(page.get_by_test_id("timeline")).to_contain_text("S-DASH")
    expect(page.get_by_test_id("timeline")).to_contain_text("Fit a video doorbell")

    # The officer sees the clinic's decision on their referral.
    page = signed_in(officer)
    page.goto("/referrals/mine/")
    expect(page.get_by_test_id("my-referrals")).to_contain_text("Refer to the ISAC service")

    # A partner agency cannot open a case that was not shared with it.
    page = signed_in(partner)
    response = page.goto(f"/referrals/cases/{case.pk}/")
    assert response.status == 404
