"""The multi-agency clinic meeting journey: the coordinator schedules a clinic meeting, the system
suggests two high-risk cases, the attendees and their confidentiality agreements are recorded, the
tactical lead records the discussion and an action for probation, the probation member sees and
completes it in "my agency's actions", and the minutes PDF downloads; probation's copy holds only
the case shared with probation."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from meetings.models import Action, AgendaItem, Meeting
from referrals.models import RiskLevel, Share
from stalking_clinic.accounts.models import Agency, Role
from stalking_clinic.audit.models import AuditEvent

from ..factories import AgencyFactory
from ..referrals.factories import CaseFactory


def _day(day: datetime.date) -> str:
    return f"{day.day}/{day.month}/{day.year}"


def _switch_to(page, sign_in, user):
    page.get_by_role("button", name="Sign out").click()
    sign_in(user)


@pytest.mark.django_db(transaction=True)
def test_clinic_meeting_from_agenda_to_minutes(page, sign_in, make_user, fake_pdf):
    probation = AgencyFactory(name="Probation", kind=Agency.Kind.PROBATION)
    coordinator = make_user(
        Role.COORDINATOR, username="j_coord", first_name="Cora", last_name="Coordinator"
    )
    lead = make_user(Role.TACTICAL_LEAD, username="j_lead", first_name="Tess", last_name="Lead")
    officer = make_user(
        Role.PARTNER,
        username="j_probation",
        first_name="Pat",
        last_name="Probation",
        agency=probation,
    )
    shared = CaseFactory(risk_level=RiskLevel.HIGH)
    private = CaseFactory(risk_level=RiskLevel.HIGH)
    Share.objects.create(
        case=shared,
        agency=probation,
        sections=[Share.Section.SUMMARY, Share.Section.TIMELINE],
        reason="Suspect on licence",
        shared_by=coordinator,
    )
    day = timezone.localdate() + datetime.timedelta(days=7)

    # The coordinator schedules a clinic meeting chaired by the tactical lead.
    sign_in(coordinator)
    page.goto(reverse("meetings:index"))
    page.get_by_role("link", name="Schedule a meeting").first.click()
    page.get_by_label("Clinic meeting").check()
    page.get_by_label("Date").fill(_day(day))
    page.get_by_label("Start time").fill("10:00")
    page.get_by_label("Place (optional)").fill("Clinic room, Waterwells")
    page.get_by_label("Chair").select_option(label="Tess Lead")
    page.get_by_role("button", name="Schedule the meeting").click()
    meeting = Meeting.objects.get()
    expect(page.get_by_role("heading", level=1)).to_contain_text(meeting.reference)

    # The system suggests both high-risk cases; both go on the agenda.
    page.get_by_role("link", name="Set the agenda").click()
    suggestions = page.get_by_test_id("suggestions")
    expect(suggestions).to_contain_text(shared.reference)
    expect(suggestions).to_contain_text(private.reference)
    for case in [shared, private]:
        page.get_by_role("button", name=f"Add case {case.reference}").click()
        expect(page.locator(".govuk-notification-banner")).to_contain_text("added to the agenda")
    expect(page.get_by_test_id("agenda")).to_contain_text(shared.reference)
    expect(page.get_by_test_id("agenda")).to_contain_text(private.reference)
    assert AgendaItem.objects.filter(meeting=meeting).count() == 2

    # Attendees: the lead and probation's member; attendance and confidentiality recorded.
    page.get_by_role("link", name="Done").click()
    for who in ["Tess Lead", "Pat Probation"]:
        page.get_by_role("link", name="Invite someone").click()
        page.get_by_label("Someone with an account").select_option(label=who)
        page.get_by_role("button", name="Invite").click()
        expect(page.get_by_test_id("attendees")).to_contain_text(who)
    for who in ["Tess Lead", "Pat Probation"]:
        page.get_by_role("button", name=f"Attended ({who})").click()
        page.get_by_role("button", name=f"Record confidentiality agreement of {who}").click()
        expect(page.locator(".govuk-notification-banner")).to_contain_text(who)
    attendees = page.get_by_test_id("attendees")
    expect(attendees.locator(".govuk-tag", has_text="Agreed")).to_have_count(2)
    expect(attendees.locator(".govuk-tag", has_text="Attended")).to_have_count(2)

    # The tactical lead records the discussion of the shared case, and an action for probation.
    _switch_to(page, sign_in, lead)
    page.goto(reverse("meetings:meeting_detail", args=[meeting.pk]))
    page.get_by_role("link", name=f"Record the discussion of case {shared.reference}").click()
    page.get_by_label("Behaviours").fill("Waits outside the victim's workplace daily.")
    page.get_by_label("The stalker's motivation").fill("Rejected")
    page.get_by_label("What each agency knows").fill("Probation: on licence until June.")
    page.get_by_label("High").check()
    page.get_by_label("Decisions").fill("Probation to review the licence conditions.")
    page.get_by_role("button", name="Save the discussion").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Discussion of case")
    page.get_by_role("link", name="Add an action").click()
    page.get_by_label("What is to be done").fill("Review the licence conditions.")
    page.get_by_label("Agency that owns it").select_option(label="Probation")
    page.get_by_label("Due date").fill(_day(day + datetime.timedelta(days=14)))
    page.get_by_role("button", name="Create the action").click()
    action = Action.objects.get()
    expect(page.locator(".govuk-notification-banner")).to_contain_text(action.reference)
    assert action.owner_agency == probation and action.case == shared

    # Probation's member sees only the shared case, and completes the action.
    _switch_to(page, sign_in, officer)
    page.goto(reverse("meetings:meeting_detail", args=[meeting.pk]))
    expect(page.get_by_test_id("agenda")).to_contain_text(shared.reference)
    expect(page.get_by_test_id("agenda")).not_to_contain_text(private.reference)
    page.get_by_role("link", name="My agency's actions").click()
    page.get_by_role("link", name=action.reference).click()
    page.get_by_label("Done").check()
    page.get_by_label("Update note").fill("Licence conditions reviewed with the offender manager.")
    page.get_by_role("button", name="Save the update").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text(action.reference)
    action.refresh_from_db()
    assert action.status == Action.Status.DONE

    # The coordinator downloads the full minutes, then probation's copy.
    _switch_to(page, sign_in, coordinator)
    page.goto(reverse("meetings:meeting_detail", args=[meeting.pk]))
    page.get_by_role("link", name="Minutes").click()
    for copy in ["Full minutes, for the clinic", "Probation's copy"]:
        page.get_by_label(copy).check()
        with page.expect_download(timeout=30_000) as download:
            page.get_by_role("button", name="Download the minutes").click()
        with open(download.value.path(), "rb") as pdf:
            assert pdf.read(5) == b"%PDF-"
    full, probation_copy = fake_pdf["every_html"]
    assert shared.reference in full and private.reference in full
    assert shared.reference in probation_copy and private.reference not in probation_copy
    recipients = list(
        AuditEvent.objects.filter(action=AuditEvent.Action.DISCLOSURE)
        .order_by("id")
        .values_list("recipient", flat=True)
    )
    assert recipients[-1] == "Probation"
