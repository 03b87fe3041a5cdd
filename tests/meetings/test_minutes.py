"""The minutes PDF: who may produce which copy, what each copy holds (a partner agency's copy only
the cases shared with it), and that every copy is logged as a disclosure to the agency it is for."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from meetings.models import Attendee, DropInAdvice, Meeting
from meetings.selectors.minutes import FULL_COPY_RECIPIENT, minutes_context
from referrals.models import Share
from stalking_clinic.accounts.models import Agency, Role
from stalking_clinic.audit.models import AuditEvent

from ..factories import AgencyFactory
from ..referrals.factories import CaseFactory
from .factories import ActionFactory, AgendaItemFactory, AttendeeFactory, MeetingFactory


@pytest.fixture
def probation(db):
    return AgencyFactory(name="Probation (test)", kind=Agency.Kind.PROBATION)


@pytest.fixture
def cps(db):
    return AgencyFactory(name="CPS (test)", kind=Agency.Kind.CPS)


@pytest.fixture
def setting(make_user, probation, cps):
    """A held clinic meeting discussing two cases: one shared with probation, one with CPS."""
    coordinator = make_user(Role.COORDINATOR, username="coord")
    lead = make_user(Role.TACTICAL_LEAD, username="lead")
    probation_user = make_user(Role.PARTNER, username="prob", agency=probation)
    cps_user = make_user(Role.PARTNER, username="cpsuser", agency=cps)
    meeting = MeetingFactory(
        convened_by=coordinator,
        chair=lead,
        status=Meeting.Status.HELD,
        starts_at=timezone.now() - datetime.timedelta(days=7),
        online_link="https://meet.example.invalid/clinic",
    )
    agreed = timezone.now() - datetime.timedelta(days=7)
    for user in (probation_user, cps_user):
        AttendeeFactory(
            meeting=meeting,
            user=user,
            attendance=Attendee.Attendance.ATTENDED,
            confidentiality_agreed_at=agreed,
            confidentiality_recorded_by=coordinator,
        )
    AttendeeFactory(
        meeting=meeting,
        user=None,
        name="Dr Absent",
        agency=AgencyFactory(name="Mental Health (test)", kind=Agency.Kind.MENTAL_HEALTH),
        attendance=Attendee.Attendance.APOLOGIES,
    )
    cases = {}
    for key, agency in (("probation", probation), ("cps", cps)):
        case = CaseFactory(risk_level="high")
        Share.objects.create(
            case=case, agency=agency, sections=["summary"], reason="x", shared_by=coordinator
        )
        cases[key] = case
    items = {}
    for position, key in enumerate(("probation", "cps"), start=1):
        items[key] = AgendaItemFactory(
            meeting=meeting,
            case=cases[key],
            position=position,
            added_by=coordinator,
            behaviours=f"Behaviours of the {key} case",
            motivation=f"Motivation of the {key} case",
            history=f"History of the {key} case",
            mental_health=f"Mental health of the {key} case",
            agency_information=f"What agencies know of the {key} case",
            decisions=f"Decisions on the {key} case",
            risk_agreed="high",
            discussed_at=timezone.now() - datetime.timedelta(days=7),
            discussed_by=lead,
        )
    actions = {
        "probation": ActionFactory(
            case=cases["probation"],
            agenda_item=items["probation"],
            owner_agency=probation,
            description="Recall the suspect to prison",
            created_by=lead,
        ),
        "cps": ActionFactory(
            case=cases["cps"],
            agenda_item=items["cps"],
            owner_agency=cps,
            description="Seek a bail condition",
            created_by=lead,
        ),
    }
    return {
        "meeting": meeting,
        "coordinator": coordinator,
        "lead": lead,
        "probation_user": probation_user,
        "cps_user": cps_user,
        "cases": cases,
        "items": items,
        "actions": actions,
    }


def _page(meeting):
    return reverse("meetings:minutes", args=[meeting.pk])


def _pdf(meeting):
    return reverse("meetings:minutes_pdf", args=[meeting.pk])


def _disclosures():
    return list(AuditEvent.objects.filter(action=AuditEvent.Action.DISCLOSURE).order_by("id"))


# What each copy holds ---------------------------------------------------------------------------


def test_full_minutes_hold_every_case_in_agenda_order(setting):
    context = minutes_context(setting["meeting"])
    assert [item.case for item in context["items"]] == [
        setting["cases"]["probation"],
        setting["cases"]["cps"],
    ]
    assert context["recipient"] == FULL_COPY_RECIPIENT
    assert [a.display_name for a in context["apologies"]] == ["Dr Absent"]
    assert len(context["attendees"]) == 2


def test_probation_copy_holds_only_probations_shared_case(setting, probation):
    context = minutes_context(setting["meeting"], agency=probation)
    assert [item.case for item in context["items"]] == [setting["cases"]["probation"]]
    assert [a.pk for a in context["items"][0].actions.all()] == [setting["actions"]["probation"].pk]
    assert context["recipient"] == probation.name


def test_a_copy_for_an_agency_with_no_shared_case_holds_no_case(setting):
    other = AgencyFactory(name="Council (test)")
    assert minutes_context(setting["meeting"], agency=other)["items"] == []


def test_drop_in_advice_in_a_partner_copy_is_only_about_shared_cases(setting, probation):
    meeting = MeetingFactory(kind=Meeting.Kind.DROP_IN, convened_by=setting["coordinator"])
    for case in (setting["cases"]["probation"], setting["cases"]["cps"], None):
        DropInAdvice.objects.create(
            meeting=meeting,
            officer_name="PC Visitor",
            case=case,
            advice=f"Advice about {case.reference if case else 'nothing in particular'}",
            recorded_by=setting["coordinator"],
        )
    full = minutes_context(meeting)
    assert len(full["advice"]) == 3
    mine = minutes_context(meeting, agency=probation)
    assert [a.case for a in mine["advice"]] == [setting["cases"]["probation"]]


def test_minutes_context_costs_the_same_however_long_the_meeting(setting, probation):
    def count():
        with CaptureQueriesContext(connection) as queries:
            context = minutes_context(setting["meeting"], agency=probation)
            for item in context["items"]:
                list(item.actions.all())
                str(item.case.reference)
        return len(queries)

    before = count()
    for _ in range(3):
        case = CaseFactory(risk_level="high")
        Share.objects.create(
            case=case,
            agency=probation,
            sections=["summary"],
            reason="x",
            shared_by=setting["coordinator"],
        )
        item = AgendaItemFactory(meeting=setting["meeting"], case=case)
        ActionFactory(case=case, agenda_item=item, owner_agency=probation)
        ActionFactory(case=case, agenda_item=item, owner_agency=probation)
    assert count() == before


def test_pdf_lays_out_the_meeting_discussions_and_actions(client, setting, fake_pdf):
    client.force_login(setting["coordinator"])
    client.post(_pdf(setting["meeting"]), {"agency": ""})
    html = fake_pdf["html"]
    meeting = setting["meeting"]
    assert meeting.reference in html and "Clinic meeting" in html
    assert "meet.example.invalid/clinic" in html
    assert setting["lead"].display_name in html  # the chair
    assert setting["probation_user"].display_name in html and "Probation (test)" in html
    assert "Dr Absent" in html  # apologies
    for field in ("Behaviours", "Motivation", "History", "Mental health", "Decisions on"):
        assert f"{field}" in html
    assert "What agencies know of the cps case" in html
    assert html.index(setting["cases"]["probation"].reference) < html.index(
        setting["cases"]["cps"].reference
    )
    action = setting["actions"]["cps"]
    assert action.reference in html and "Seek a bail condition" in html
    assert action.due_on.strftime("%Y") in html
    # Case references only: no names of victims or suspects in the minutes.
    assert setting["cases"]["cps"].victim.full_name not in html


def test_probation_copy_pdf_holds_only_probations_case(client, setting, probation, fake_pdf):
    Share.objects.filter(agency=probation).update(
        sections=[Share.Section.SUMMARY, Share.Section.DISCUSSIONS]
    )
    client.force_login(setting["probation_user"])
    client.post(_pdf(setting["meeting"]), {"agency": str(probation.pk)})
    html = fake_pdf["html"]
    assert "Behaviours of the probation case" in html
    assert "Recall the suspect to prison" in html
    assert setting["cases"]["cps"].reference not in html
    assert "Behaviours of the cps case" not in html
    assert "Seek a bail condition" not in html


@pytest.mark.parametrize("who", ["probation_user", "coordinator"])
def test_a_copy_for_an_agency_shared_only_the_summary_holds_no_discussion(
    client, setting, probation, fake_pdf, who
):
    # Another agency's action on the case, agreed in the discussion probation is not shared.
    ActionFactory(
        case=setting["cases"]["probation"],
        agenda_item=setting["items"]["probation"],
        owner_agency=AgencyFactory(name="Housing (test)"),
        description="Move the victim",
        created_by=setting["lead"],
    )
    client.force_login(setting[who])
    client.post(_pdf(setting["meeting"]), {"agency": str(probation.pk)})
    html = fake_pdf["html"]
    assert setting["cases"]["probation"].reference in html
    for text in ("Behaviours", "Motivation", "History", "Mental health", "What agencies know"):
        assert f"{text} of the probation case" not in html
    assert "Decisions on the probation case" not in html and "Consider an SPO" not in html
    assert "discussion of this case is not shared with Probation (test)" in html
    # The summary allows the risk agreed; probation is told of its own action only.
    assert "Risk agreed" in html
    assert "Recall the suspect to prison" in html and "Move the victim" not in html


def test_a_copy_for_an_agency_shared_only_the_timeline_holds_no_risk(setting, probation):
    Share.objects.filter(agency=probation).update(sections=[Share.Section.TIMELINE])
    [item] = minutes_context(setting["meeting"], agency=probation)["items"]
    assert not item.shows_risk and not item.shows_discussion


# Who may produce which copy --------------------------------------------------------------------


@pytest.mark.parametrize("who", ["coordinator", "lead"])
def test_coordinator_and_tactical_lead_produce_the_full_minutes(client, setting, who, fake_pdf):
    client.force_login(setting[who])
    page = client.get(_page(setting["meeting"]))
    assert page.status_code == 200
    values = [value for value, _ in page.context["copies"]]
    labels = [label for _, label in page.context["copies"]]
    # The full copy, then each invited partner agency's (even one that sent apologies), by name.
    assert values[0] == "" and len(values) == 4
    assert [label.split("'s copy")[0] for label in labels[1:]] == [
        "CPS (test)",
        "Mental Health (test)",
        "Probation (test)",
    ]
    response = client.post(_pdf(setting["meeting"]), {"agency": ""})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    content = b"".join(response)
    assert content.startswith(b"%PDF")
    assert setting["cases"]["cps"].reference in fake_pdf["html"]
    [event] = _disclosures()
    assert event.recipient == FULL_COPY_RECIPIENT
    assert (event.object_type, event.object_id) == ("meetings.meeting", str(setting["meeting"].pk))
    assert event.actor == setting[who]


def test_each_copy_produced_is_a_disclosure_to_its_agency(
    client, setting, probation, cps, fake_pdf
):
    client.force_login(setting["coordinator"])
    for value in (str(probation.pk), str(cps.pk), ""):
        assert client.post(_pdf(setting["meeting"]), {"agency": value}).status_code == 200
    assert [e.recipient for e in _disclosures()] == [probation.name, cps.name, FULL_COPY_RECIPIENT]


def test_probation_member_may_produce_only_probations_copy(
    client, setting, probation, cps, fake_pdf
):
    client.force_login(setting["probation_user"])
    page = client.get(_page(setting["meeting"]))
    assert page.status_code == 200
    assert [value for value, _ in page.context["copies"]] == [str(probation.pk)]
    response = client.post(_pdf(setting["meeting"]), {"agency": str(probation.pk)})
    assert response.status_code == 200
    assert [e.recipient for e in _disclosures()] == [probation.name]
    # Neither the full minutes nor another agency's copy.
    for value in ("", str(cps.pk)):
        response = client.post(_pdf(setting["meeting"]), {"agency": value})
        assert response.status_code == 200
        assert response["Content-Type"].startswith("text/html")
        assert response.context["form"].errors["agency"]
    assert len(_disclosures()) == 1


def test_partner_without_a_recorded_confidentiality_agreement_gets_no_copy(
    client, setting, probation, fake_pdf
):
    Attendee.objects.filter(user=setting["probation_user"]).update(confidentiality_agreed_at=None)
    client.force_login(setting["probation_user"])
    page = client.get(_page(setting["meeting"]))
    assert page.status_code == 200 and page.context["copies"] == []
    assert b"confidentiality agreement" in page.content
    response = client.post(_pdf(setting["meeting"]), {"agency": str(probation.pk)})
    assert response.status_code == 403
    assert not _disclosures()


def test_partner_not_invited_cannot_know_the_meeting_exists(client, setting, probation, make_user):
    stranger = make_user(Role.PARTNER, username="notinvited", agency=probation)
    client.force_login(stranger)
    assert client.get(_page(setting["meeting"])).status_code == 404
    assert client.post(_pdf(setting["meeting"]), {"agency": str(probation.pk)}).status_code == 404
    assert not _disclosures()


def test_outsider_is_refused(client, setting, outsider):
    client.force_login(outsider)
    assert client.get(_page(setting["meeting"])).status_code == 403
    assert client.post(_pdf(setting["meeting"]), {"agency": ""}).status_code == 403


def test_unknown_meeting_is_404(client, setting):
    client.force_login(setting["coordinator"])
    assert client.get(reverse("meetings:minutes", args=[999999])).status_code == 404


@pytest.mark.parametrize("role", [Role.SOLICITOR, Role.ISAC])
def test_solicitor_and_isac_see_meetings_but_do_not_send_out_minutes(
    client, setting, make_user, role
):
    client.force_login(make_user(role, username=f"u_{role}"))
    assert client.get(_page(setting["meeting"])).status_code == 403
    assert client.post(_pdf(setting["meeting"]), {"agency": ""}).status_code == 403


def test_a_link_to_the_pdf_goes_to_the_minutes_page(client, setting):
    client.force_login(setting["coordinator"])
    response = client.get(_pdf(setting["meeting"]))
    assert response.status_code == 302
    assert response["Location"] == _page(setting["meeting"])
    assert not _disclosures()
