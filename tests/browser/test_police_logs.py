"""The coordinator uploads the sample export, watches it import, opens a pattern finding, makes a
referral of it and finds that referral in the triage queue."""

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from referrals.models import Referral
from stalking_clinic.accounts.models import Role

SAMPLE = Path(__file__).resolve().parents[1] / "fixtures" / "police-log-sample.csv"


@pytest.fixture(autouse=True)
def _folders(settings, tmp_path):
    settings.POLICE_LOG_UPLOAD_DIR = tmp_path / "uploads"


@pytest.mark.django_db(transaction=True)
def test_upload_review_and_refer(page, sign_in, make_user):
    coordinator = make_user(Role.COORDINATOR, username="logs_coord", first_name="Cora")
    sign_in(coordinator)
    page.get_by_role("navigation", name="Menu").get_by_role(
        "link", name="Referrals and cases"
    ).click()
    page.get_by_role("navigation", name="Referrals and cases").get_by_role(
        "link", name="Police logs"
    ).click()
    page.get_by_label("Police log export").set_input_files(SAMPLE)
    page.get_by_role("button", name="Upload and import").click()

    expect(page.get_by_test_id("import-progress")).to_have_attribute("value", "100")
    expect(page.get_by_test_id("import-status")).to_have_text("Imported")
    summary = page.get_by_test_id("import-summary")
    expect(summary).to_contain_text("Rows read")
    expect(page.get_by_test_id("rejected-rows")).to_be_visible()

    page.get_by_role("link", name="Review findings").click()
    findings = page.get_by_test_id("findings")
    findings.get_by_role("link", name="Pattern that looks like stalking").first.click()
    expect(page.get_by_test_id("evidence")).to_be_visible()
    page.get_by_role("link", name="Create a referral").click()
    expect(page.get_by_label("Unwanted")).not_to_be_empty()
    page.get_by_role("button", name="Send referral").click()

    expect(page.locator(".govuk-notification-banner")).to_contain_text("now in the triage queue")
    referral = Referral.objects.get(source=Referral.Source.LOG_SCAN)
    page.get_by_role("navigation", name="Referrals and cases").get_by_role(
        "link", name="Triage queue"
    ).click()
    queue = page.get_by_test_id("queue")
    expect(queue.get_by_role("link", name=referral.reference)).to_be_visible()
    expect(queue).to_contain_text(re.compile("Police log scan"))
