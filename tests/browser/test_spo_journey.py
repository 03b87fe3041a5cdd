"""The solicitor's protection order journey: from a high-risk case, start an application, add the
prohibitions, take it to court, record the interim order and the hearing, then find the hearing
on the calendar and download the application pack and the calendar file."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from referrals.models import RiskLevel
from spo.models import Application, Hearing, Order
from stalking_clinic.accounts.models import Role

from ..referrals.factories import CaseFactory, PersonFactory


def _day(day: datetime.date) -> str:
    return f"{day.day}/{day.month}/{day.year}"


def _move(page, stage: str, reason: str):
    page.get_by_role("link", name="Move to another stage").click()
    page.get_by_label(stage, exact=True).check()
    page.get_by_label("Why").fill(reason)
    page.get_by_role("button", name="Move the application").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text(stage)


@pytest.mark.django_db(transaction=True)
def test_solicitor_takes_an_application_to_an_interim_order(page, sign_in, make_user, fake_pdf):
    solicitor = make_user(Role.SOLICITOR, username="j_solicitor", first_name="Sol")
    make_user(Role.OFFICER, username="j_oic", first_name="Olive", last_name="Officer")
    suspect = PersonFactory(first_name="Dan", last_name="Defendant")
    case = CaseFactory(risk_level=RiskLevel.HIGH, suspects=[suspect])
    today = timezone.localdate()

    sign_in(solicitor)
    expect(page.get_by_role("heading", level=1)).to_have_text("My work")
    page.goto(reverse("referrals:case_detail", args=[case.pk]))
    expect(page.get_by_role("heading", level=1)).to_contain_text(case.reference)

    # Start the application from the case page.
    page.get_by_role("link", name="Start an SPO application").click()
    defendant = f"{suspect.full_name} ({suspect.person_ref})"
    page.get_by_label("Defendant").select_option(label=defendant)
    expect(page.get_by_label(case.victim.full_name, exact=False)).to_be_checked()
    page.get_by_label("Magistrates' court").fill("Cheltenham Magistrates' Court")
    page.get_by_label("Officer in the case (optional)").select_option(label="Olive Officer")
    page.get_by_role("button", name="Start the application").click()
    application = Application.objects.get()
    expect(page.get_by_role("heading", level=1)).to_contain_text(application.reference)

    # Two prohibitions, in the order they will read in the order.
    for text in ["Not to contact the victim directly or indirectly.", "Not to enter Stroud."]:
        page.get_by_text("Add a prohibition or requirement").click()
        page.get_by_label("Prohibition", exact=True).check()
        page.get_by_label("Wording").fill(text)
        page.get_by_role("button", name="Add", exact=True).click()
        expect(page.locator(".govuk-notification-banner")).to_contain_text("Prohibition added")
    expect(page.get_by_test_id("prohibitions").locator("li")).to_have_count(2)
    expect(page.get_by_test_id("prohibitions").locator("li").first).to_contain_text(
        "Not to contact"
    )

    # To court, and the interim order.
    _move(page, "Drafting", "Evidence gathered")
    _move(page, "Legal review", "Drafted")
    _move(page, "Applied to court", "Lodged with the court")
    page.get_by_role("link", name="Record an order").click()
    page.get_by_label("Interim order").check()
    page.get_by_label("Date made").fill(_day(today))
    page.get_by_label("End date").fill(_day(today + datetime.timedelta(days=28)))
    page.get_by_role("button", name="Record the order").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Interim order recorded")
    assert Order.objects.get().kind == Order.Kind.INTERIM
    expect(page.get_by_role("heading", level=1)).to_contain_text("Interim order made")

    # The full hearing, later today so it is in this week's calendar.
    page.get_by_role("link", name="Add a hearing").click()
    page.get_by_label("Hearing", exact=True).select_option(label="Full hearing")
    page.get_by_label("Date", exact=True).fill(_day(today))
    page.get_by_label("Time", exact=True).fill("23:30")
    page.get_by_role("button", name="Add the hearing").click()
    expect(page.get_by_test_id("hearings")).to_contain_text("Cheltenham Magistrates' Court")
    assert Hearing.objects.get().kind == Hearing.Kind.FULL

    # The application pack: each download names its recipient, for the disclosure log.
    page.get_by_role("link", name="Download the application pack (PDF)").click()
    page.get_by_label("Who is the pack for?").fill("Cheltenham Magistrates' Court")
    with page.expect_download(timeout=30_000) as pack:
        page.get_by_role("button", name="Download").click()
    with open(pack.value.path(), "rb") as pdf:
        assert pdf.read(5) == b"%PDF-"
    assert application.reference in fake_pdf["html"]
    assert "for Cheltenham Magistrates&#x27; Court" in fake_pdf["html"]

    # The calendar shows the hearing; its events download as iCalendar.
    page.goto(reverse("spo:application_detail", args=[application.pk]))
    page.get_by_role("navigation", name="Protection orders").get_by_role(
        "link", name="Calendar"
    ).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Hearings and deadlines")
    expect(page.get_by_role("link", name=application.reference).first).to_be_visible()
    results = page.locator(".moj-filter-layout__content")
    expect(results).to_contain_text(application.reference)
    expect(results).to_contain_text("Cheltenham Magistrates' Court")
    with page.expect_download() as ics:
        page.get_by_role("link", name="Download these events (.ics)").click()
    with open(ics.value.path(), encoding="utf-8") as calendar:
        content = calendar.read()
    assert content.startswith("BEGIN:VCALENDAR")
    assert application.reference in content
