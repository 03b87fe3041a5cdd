"""The meetings pages: who may use each, the confidentiality gate on a meeting's cases, what the
coordinator changes and how refused input is handled.

Scenario: a clinic meeting with two high-risk cases on its agenda, one shared with probation; a
probation member invited with their confidentiality agreement recorded ("partner"), another
invited without it ("unagreed"); a member of another agency not invited ("other_partner"); an
officer, whose role has no meetings at all; and a drop-in session with advice given.
"""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from meetings.models import AgendaItem, Attendee, DropInAdvice, Meeting
from referrals.models import RiskLevel, Share
from stalking_clinic.accounts.models import Agency, Role

from ..factories import AgencyFactory
from ..referrals.factories import CaseFactory
from .factories import ActionFactory, AgendaItemFactory, AttendeeFactory, MeetingFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def s(make_user):
    probation = AgencyFactory(name="Probation", kind=Agency.Kind.PROBATION)
    housing = AgencyFactory(name="Housing", kind=Agency.Kind.LOCAL_AUTHORITY)
    coordinator = make_user(Role.COORDINATOR, username="coord")
    lead = make_user(Role.TACTICAL_LEAD, username="lead")
    partner = make_user(Role.PARTNER, username="probation", agency=probation)
    unagreed = make_user(Role.PARTNER, username="probation2", agency=probation)
    meeting = MeetingFactory(convened_by=coordinator, chair=lead)
    shared = CaseFactory(risk_level=RiskLevel.HIGH)
    private = CaseFactory(risk_level=RiskLevel.HIGH)
    Share.objects.create(
        case=shared, agency=probation, sections=["summary"], reason="x", shared_by=coordinator
    )
    shared_item = AgendaItemFactory(meeting=meeting, case=shared, reason="Shared one")
    private_item = AgendaItemFactory(meeting=meeting, case=private, reason="Private one")
    attendee = AttendeeFactory(
        meeting=meeting, user=partner, confidentiality_agreed_at=timezone.now()
    )
    unagreed_attendee = AttendeeFactory(meeting=meeting, user=unagreed)
    drop_in = MeetingFactory(kind=Meeting.Kind.DROP_IN, convened_by=coordinator, chair=None)
    DropInAdvice.objects.create(
        meeting=drop_in,
        officer_name="PC 123 Smith",
        advice="Gather the messages.",
        recorded_by=coordinator,
    )
    return {
        "coordinator": coordinator,
        "lead": lead,
        "partner": partner,
        "unagreed": unagreed,
        "other_partner": make_user(Role.PARTNER, username="housing", agency=housing),
        "officer": make_user(Role.OFFICER, username="oic"),
        "solicitor": make_user(Role.SOLICITOR, username="sol"),
        "meeting": meeting,
        "drop_in": drop_in,
        "shared": shared,
        "private": private,
        "shared_item": shared_item,
        "private_item": private_item,
        "attendee": attendee,
        "unagreed_attendee": unagreed_attendee,
    }


m = lambda s: {"pk": s["meeting"].pk}  # noqa: E731
item = lambda s: {"pk": s["shared_item"].pk}  # noqa: E731
att = lambda s: {"pk": s["unagreed_attendee"].pk}  # noqa: E731

# Pages that change a meeting (Perm.MEETINGS_MANAGE): the coordinator gets them; an invited
# partner who may read the meeting gets 403, and so do the uninvited partner and the officer
# (their roles may use no change page, so they learn nothing of the meeting either way).
CHANGE_PAGES = {
    "meetings:meeting_new": lambda s: {},
    "meetings:meeting_edit": m,
    "meetings:attendee_new": m,
    "meetings:agenda": m,
    "meetings:agenda_add": m,
    "meetings:discussion": item,
    "meetings:advice_new": lambda s: {"pk": s["drop_in"].pk},
}
POST_ONLY = {
    "meetings:attendance": (att, {"attendance": "attended"}),
    "meetings:confidentiality": (att, {}),
    "meetings:agenda_move": (item, {"direction": "down"}),
    "meetings:agenda_remove": (lambda s: {"pk": s["private_item"].pk}, {}),
}


@pytest.mark.parametrize("name", sorted(CHANGE_PAGES))
@pytest.mark.parametrize(
    "who,expected",
    [
        ("coordinator", 200),
        ("lead", 200),
        ("partner", 403),
        ("other_partner", 403),
        ("officer", 403),
    ],
)
def test_only_the_coordinator_and_lead_open_change_pages(client, s, name, who, expected):
    client.force_login(s[who])
    response = client.get(reverse(name, kwargs=CHANGE_PAGES[name](s)))
    assert response.status_code == expected


@pytest.mark.parametrize("name", sorted(POST_ONLY))
@pytest.mark.parametrize(
    "who,expected", [("coordinator", 302), ("partner", 403), ("other_partner", 403)]
)
def test_buttons_are_for_the_coordinator_and_lead(client, s, name, who, expected):
    kwargs_for, data = POST_ONLY[name]
    client.force_login(s[who])
    assert client.post(reverse(name, kwargs=kwargs_for(s)), data).status_code == expected
    assert client.get(reverse(name, kwargs=kwargs_for(s))).status_code in {405, 403}


@pytest.mark.parametrize(
    "who,expected",
    [
        ("coordinator", 200),
        ("solicitor", 200),
        ("partner", 200),
        ("unagreed", 200),
        ("other_partner", 404),
        ("officer", 403),
    ],
)
def test_meeting_page_for_those_who_may_see_it(client, s, who, expected):
    client.force_login(s[who])
    assert client.get(reverse("meetings:meeting_detail", kwargs=m(s))).status_code == expected


def test_a_change_page_of_a_missing_meeting_is_404(client, s):
    client.force_login(s["coordinator"])
    assert client.get(reverse("meetings:meeting_edit", kwargs={"pk": 999999})).status_code == 404
    assert client.get(reverse("meetings:discussion", kwargs={"pk": 999999})).status_code == 404


def test_index_lists_only_the_meetings_the_user_may_see(client, s):
    past = MeetingFactory(starts_at=timezone.now() - datetime.timedelta(days=30))
    client.force_login(s["partner"])
    page = client.get(reverse("meetings:index")).content.decode()
    assert s["meeting"].reference in page
    assert past.reference not in page and s["drop_in"].reference not in page
    client.force_login(s["coordinator"])
    response = client.get(reverse("meetings:index"), {"when": "past"})
    page = response.content.decode()
    assert past.reference in page and s["meeting"].reference not in page
    response = client.get(reverse("meetings:index"), {"kind": Meeting.Kind.DROP_IN})
    assert [row.pk for row in response.context["upcoming"]] == [s["drop_in"].pk]


def test_index_shows_the_number_of_cases_and_the_areas_navigation(client, s):
    client.force_login(s["coordinator"])
    response = client.get(reverse("meetings:index"))
    row = next(row for row in response.context["upcoming"] if row.pk == s["meeting"].pk)
    assert row.case_count == 2
    page = response.content.decode()
    assert 'aria-label="Meetings"' in page
    assert reverse("meetings:my_actions") in page
    assert reverse("meetings:agency_actions") in page


def test_index_counts_for_a_partner_only_the_cases_shared_with_them(client, s):
    client.force_login(s["partner"])
    response = client.get(reverse("meetings:index"))
    row = next(row for row in response.context["upcoming"] if row.pk == s["meeting"].pk)
    # One shared case and one private case on the agenda: the private one is not counted.
    assert row.case_count == 1


# --- what a partner sees of a discussion ------------------------------------------------------


def _discussed(item):
    item.behaviours = "Sends flowers daily"
    item.mental_health = "Under the crisis team"
    item.decisions = "Probation to consider recall"
    item.risk_agreed = RiskLevel.HIGH
    item.consider_spo = True
    item.discussed_at = timezone.now()
    item.save()


def test_a_partner_shared_only_the_summary_sees_no_discussion_on_the_meeting_page(client, s):
    _discussed(s["shared_item"])
    client.force_login(s["partner"])
    response = client.get(reverse("meetings:meeting_detail", kwargs=m(s)))
    page = response.content.decode()
    assert s["shared"].reference in page
    assert "Probation to consider recall" not in page and "Consider an SPO" not in page
    assert "discussion of this case is not shared with your agency" in page
    # The summary allows the risk agreed.
    assert "Risk agreed" in page


def test_a_partner_shared_clinic_discussions_sees_the_decisions(client, s):
    _discussed(s["shared_item"])
    Share.objects.filter(case=s["shared"]).update(
        sections=[Share.Section.SUMMARY, Share.Section.DISCUSSIONS]
    )
    client.force_login(s["partner"])
    page = client.get(reverse("meetings:meeting_detail", kwargs=m(s))).content.decode()
    assert "Probation to consider recall" in page and "Consider an SPO" in page


def test_a_partner_shared_only_the_timeline_is_not_shown_the_risk(client, s):
    _discussed(s["shared_item"])
    Share.objects.filter(case=s["shared"]).update(sections=[Share.Section.TIMELINE])
    client.force_login(s["partner"])
    page = client.get(reverse("meetings:meeting_detail", kwargs=m(s))).content.decode()
    assert s["shared"].reference in page
    assert "Risk agreed" not in page and "Probation to consider recall" not in page


# --- the confidentiality gate ----------------------------------------------------------------


def test_cases_are_hidden_until_the_confidentiality_agreement_is_recorded(client, s):
    url = reverse("meetings:meeting_detail", kwargs=m(s))
    client.force_login(s["unagreed"])
    page = client.get(url).content.decode()
    assert "confidentiality agreement for this meeting is recorded" in page
    assert s["shared"].reference not in page and s["private"].reference not in page

    client.force_login(s["coordinator"])
    response = client.post(reverse("meetings:confidentiality", kwargs=att(s)))
    assert response.status_code == 302
    s["unagreed_attendee"].refresh_from_db()
    assert s["unagreed_attendee"].confidentiality_agreed_at is not None

    client.force_login(s["unagreed"])
    page = client.get(url).content.decode()
    assert "confidentiality agreement for this meeting is recorded" not in page
    # Only the case shared with their agency, never the other.
    assert s["shared"].reference in page and "Shared one" in page
    assert s["private"].reference not in page and "Private one" not in page


def test_the_coordinator_sees_every_case_on_the_agenda(client, s):
    client.force_login(s["coordinator"])
    page = client.get(reverse("meetings:meeting_detail", kwargs=m(s))).content.decode()
    assert s["shared"].reference in page and s["private"].reference in page


def test_the_meeting_page_is_logged_as_consulted(client, s):
    from stalking_clinic.audit.models import AuditEvent

    client.force_login(s["partner"])
    client.get(reverse("meetings:meeting_detail", kwargs=m(s)))
    assert AuditEvent.objects.filter(
        action=AuditEvent.Action.CONSULTATION, actor=s["partner"]
    ).exists()


def test_a_partner_sees_only_their_agencys_actions_on_the_meeting_page(client, s):
    probation = s["partner"].agency
    ActionFactory(
        case=s["shared"],
        agenda_item=s["shared_item"],
        owner_agency=probation,
        description="Probation checks licence",
    )
    ActionFactory(
        case=s["shared"],
        agenda_item=s["shared_item"],
        description="Police visit",
    )
    client.force_login(s["partner"])
    page = client.get(reverse("meetings:meeting_detail", kwargs=m(s))).content.decode()
    assert "Probation checks licence" in page and "Police visit" not in page


# --- scheduling ------------------------------------------------------------------------------


def _meeting_data(**changes):
    day = timezone.localdate() + datetime.timedelta(days=10)
    data = {
        "kind": Meeting.Kind.CLINIC,
        "date": f"{day.day}/{day.month}/{day.year}",
        "time": "10:00",
        "place": "Clinic room, Waterwells",
        "online_link": "",
        "chair": "",
        "notes": "Bring the case files.",
    }
    data.update(changes)
    return data


def test_the_coordinator_schedules_a_meeting(client, s):
    client.force_login(s["coordinator"])
    response = client.post(reverse("meetings:meeting_new"), _meeting_data(chair=s["lead"].pk))
    meeting = Meeting.objects.latest("pk")
    assert response.status_code == 302
    assert response["Location"] == reverse("meetings:meeting_detail", args=[meeting.pk])
    assert meeting.chair == s["lead"] and meeting.convened_by == s["coordinator"]
    assert timezone.localtime(meeting.starts_at).hour == 10


def test_bad_input_keeps_the_other_fields(client, s):
    client.force_login(s["coordinator"])
    before = Meeting.objects.count()
    response = client.post(reverse("meetings:meeting_new"), _meeting_data(time="25:99"))
    assert response.status_code == 200
    assert "Enter a time on the 24-hour clock" in response.content.decode()
    assert 'value="Clinic room, Waterwells"' in response.content.decode()
    # A rule of the service (somewhere to meet) is shown on its field, input kept.
    response = client.post(reverse("meetings:meeting_new"), _meeting_data(place=""))
    assert response.context["form"].errors["place"] == [
        "Enter the place of the meeting or its online link."
    ]
    assert "Bring the case files." in response.content.decode()
    assert Meeting.objects.count() == before


def test_a_version_conflict_on_the_meeting_keeps_the_input(client, s):
    meeting = s["meeting"]
    client.force_login(s["coordinator"])
    data = _meeting_data(status=Meeting.Status.PLANNED, version=meeting.version, place="Room 2")
    Meeting.objects.filter(pk=meeting.pk).update(version=meeting.version + 1, place="Room 9")
    response = client.post(reverse("meetings:meeting_edit", kwargs=m(s)), data)
    assert response.status_code == 200
    form = response.context["form"]
    assert form.non_field_errors()
    assert form.data["place"] == "Room 2"
    assert form.data["version"] == str(meeting.version + 1)
    meeting.refresh_from_db()
    assert meeting.place == "Room 9"
    # Saving again, knowing the other change, is allowed.
    response = client.post(reverse("meetings:meeting_edit", kwargs=m(s)), form.data)
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.place == "Room 2"


# --- attendees -------------------------------------------------------------------------------


def test_inviting_a_user_or_a_named_person(client, s):
    client.force_login(s["coordinator"])
    url = reverse("meetings:attendee_new", kwargs=m(s))
    page = client.get(url).content.decode()
    assert '<optgroup label="Probation">' in page
    assert client.post(url, {"user": s["solicitor"].pk}).status_code == 302
    assert Attendee.objects.filter(meeting=s["meeting"], user=s["solicitor"]).exists()
    mental_health = AgencyFactory(name="Mental health", kind=Agency.Kind.MENTAL_HEALTH)
    assert client.post(url, {"name": "Dr Jones", "agency": mental_health.pk}).status_code == 302
    named = Attendee.objects.get(meeting=s["meeting"], name="Dr Jones")
    assert named.agency == mental_health
    # Nobody chosen: an error, nothing invited.
    response = client.post(url, {"agency": mental_health.pk})
    assert response.context["form"].errors["user"]
    # Twice: the service refuses, on the field.
    response = client.post(url, {"user": s["solicitor"].pk})
    assert "already invited" in response.context["form"].errors["user"][0]


def test_recording_attendance(client, s):
    client.force_login(s["coordinator"])
    url = reverse("meetings:attendance", kwargs=att(s))
    client.post(url, {"attendance": "apologies"})
    s["unagreed_attendee"].refresh_from_db()
    assert s["unagreed_attendee"].attendance == Attendee.Attendance.APOLOGIES
    response = client.post(url, {"attendance": "nonsense"}, follow=True)
    assert "Choose whether they attended." in response.content.decode()


# --- the agenda ------------------------------------------------------------------------------


def test_the_agenda_page_suggests_cases_and_adds_them(client, s):
    suggested = CaseFactory(risk_level=RiskLevel.HIGH)
    medium = CaseFactory(risk_level=RiskLevel.MEDIUM)
    client.force_login(s["coordinator"])
    response = client.get(reverse("meetings:agenda", kwargs=m(s)))
    assert [x.case.pk for x in response.context["suggestions"]] == [suggested.pk]
    # The picker offers any other open case, not those already on the agenda.
    picker = set(response.context["form"].fields["case"].queryset.values_list("pk", flat=True))
    assert {suggested.pk, medium.pk} <= picker and s["shared"].pk not in picker

    response = client.post(
        reverse("meetings:agenda_add", kwargs=m(s)),
        {"case": suggested.pk, "reason": "High risk; never discussed"},
    )
    assert response.status_code == 302
    added = AgendaItem.objects.get(meeting=s["meeting"], case=suggested)
    assert added.reason == "High risk; never discussed"
    # Adding it again is refused on the case field.
    response = client.post(reverse("meetings:agenda_add", kwargs=m(s)), {"case": suggested.pk})
    assert response.status_code == 200
    assert "already on the agenda" in response.context["form"].errors["case"][0]


def test_reordering_and_removing_agenda_items(client, s):
    client.force_login(s["coordinator"])

    def order():
        return list(
            AgendaItem.objects.filter(meeting=s["meeting"])
            .order_by("position", "id")
            .values_list("case_id", flat=True)
        )

    assert order() == [s["shared"].pk, s["private"].pk]
    client.post(reverse("meetings:agenda_move", kwargs=item(s)), {"direction": "down"})
    assert order() == [s["private"].pk, s["shared"].pk]
    client.post(reverse("meetings:agenda_remove", kwargs={"pk": s["private_item"].pk}))
    assert order() == [s["shared"].pk]


# --- discussions and advice ------------------------------------------------------------------


def _discussion_data(version, **changes):
    data = {
        "behaviours": "Turns up at work daily.",
        "motivation": "Rejected",
        "history": "Two previous partners.",
        "mental_health": "",
        "agency_information": "Probation: on licence until June.",
        "risk_agreed": "high",
        "decisions": "Probation to check licence conditions.",
        "version": version,
    }
    data.update(changes)
    return data


def test_recording_a_discussion_offers_an_action(client, s):
    it = s["shared_item"]
    client.force_login(s["lead"])
    url = reverse("meetings:discussion", kwargs=item(s))
    response = client.post(url, _discussion_data(it.version))
    assert response.status_code == 302
    it.refresh_from_db()
    assert it.discussed_at is not None and it.discussed_by == s["lead"]
    assert it.risk_agreed == "high" and it.motivation == "Rejected"
    page = client.get(url).content.decode()
    assert reverse("meetings:action_new", kwargs={"item_pk": it.pk}) in page


def test_a_version_conflict_on_a_discussion_keeps_the_input(client, s):
    it = s["shared_item"]
    AgendaItem.objects.filter(pk=it.pk).update(version=it.version + 1, decisions="Theirs")
    client.force_login(s["lead"])
    response = client.post(
        reverse("meetings:discussion", kwargs=item(s)),
        _discussion_data(it.version, decisions="Mine"),
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert form.non_field_errors()
    assert form.data["decisions"] == "Mine"
    assert form.data["version"] == str(it.version + 1)
    it.refresh_from_db()
    assert it.decisions == "Theirs"


def test_considering_an_spo_needs_a_solicitor(client, s):
    it = s["shared_item"]
    client.force_login(s["lead"])
    response = client.post(
        reverse("meetings:discussion", kwargs=item(s)),
        _discussion_data(it.version, consider_spo="on"),
    )
    assert response.status_code == 200
    assert response.context["form"].errors["spo_solicitor"]
    assert response.context["form"].data["behaviours"] == "Turns up at work daily."


def test_advice_is_recorded_at_drop_in_sessions_only(client, s):
    client.force_login(s["coordinator"])
    url = reverse("meetings:advice_new", kwargs={"pk": s["drop_in"].pk})
    response = client.post(
        url, {"officer_name": "PC 9 Brown", "case": s["shared"].pk, "advice": "Apply for an SPO."}
    )
    assert response.status_code == 302
    assert DropInAdvice.objects.filter(case=s["shared"], officer_name="PC 9 Brown").exists()
    response = client.post(url, {"advice": "No officer"})
    assert response.context["form"].errors["officer"]
    response = client.get(reverse("meetings:advice_new", kwargs=m(s)))
    assert response.status_code == 302
    page = client.get(reverse("meetings:meeting_detail", args=[s["drop_in"].pk])).content
    assert b"Gather the messages." in page and b"Apply for an SPO." in page


# --- queries ---------------------------------------------------------------------------------


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def _grow(s, n):
    for _ in range(n):
        meeting = MeetingFactory(convened_by=s["coordinator"], chair=s["lead"])
        AgendaItemFactory(meeting=meeting)
        AttendeeFactory(
            meeting=meeting, user=s["partner"], confidentiality_agreed_at=timezone.now()
        )


def test_index_queries_do_not_grow_with_meetings(client, s):
    client.force_login(s["partner"])
    url = reverse("meetings:index")
    first = _queries(client, url)
    _grow(s, 5)
    assert _queries(client, url) == first


def test_detail_queries_do_not_grow_with_the_agenda(client, s):
    client.force_login(s["coordinator"])
    url = reverse("meetings:meeting_detail", kwargs=m(s))
    first = _queries(client, url)
    for _ in range(4):
        extra = AgendaItemFactory(meeting=s["meeting"])
        ActionFactory(case=extra.case, agenda_item=extra)
        AttendeeFactory(meeting=s["meeting"])
    assert _queries(client, url) == first
