"""The meetings services: scheduling, attendance, confidentiality, agenda, discussions, advice."""

import datetime

import pytest
from django.utils import timezone

from meetings.models import AgendaItem, Attendee, DropInAdvice, Meeting
from meetings.services import agenda, attendance, drop_ins, meetings
from spo.models import Application
from stalking_clinic.audit.models import AuditEvent
from stalking_clinic.services import ChangedByAnotherUser, ServiceError

from ..factories import AgencyFactory, UserFactory
from ..referrals.factories import CaseFactory, PersonFactory
from .factories import ActionFactory, AgendaItemFactory, AttendeeFactory, MeetingFactory

pytestmark = pytest.mark.django_db

NEXT_WEEK = timezone.now() + datetime.timedelta(days=7)


@pytest.fixture
def coordinator():
    return UserFactory(roles=["coordinator"], first_name="Cora", last_name="Coordinator")


@pytest.fixture
def lead():
    return UserFactory(roles=["tactical_lead"], first_name="Tara", last_name="Lead")


@pytest.fixture
def solicitor():
    return UserFactory(roles=["solicitor"])


@pytest.fixture
def meeting(coordinator, lead):
    return MeetingFactory(convened_by=coordinator, chair=lead)


def audit_events(obj, action=None):
    events = AuditEvent.objects.filter(object_type=obj._meta.label_lower, object_id=str(obj.pk))
    return events.filter(action=action) if action else events


def assert_refused(call, field, **kwargs):
    with pytest.raises(ServiceError) as excinfo:
        call(**kwargs)
    assert excinfo.value.field == field, excinfo.value.message
    return excinfo.value


# --- meeting_schedule ----------------------------------------------------------------------------


def test_schedule_a_clinic_meeting(coordinator, lead):
    meeting = meetings.meeting_schedule(
        by=coordinator,
        kind=Meeting.Kind.CLINIC,
        starts_at=NEXT_WEEK,
        place="  Clinic room  ",
        chair=lead,
        notes="Bring the risk summaries.",
    )

    assert meeting.convened_by == coordinator
    assert meeting.chair == lead
    assert meeting.place == "Clinic room"
    assert meeting.status == Meeting.Status.PLANNED
    assert meeting.version == 1
    assert audit_events(meeting, AuditEvent.Action.COLLECTION).count() == 1


def test_schedule_online_only_and_without_chair(coordinator):
    meeting = meetings.meeting_schedule(
        by=coordinator,
        kind=Meeting.Kind.DROP_IN,
        starts_at=NEXT_WEEK,
        online_link="https://meet.example.invalid/abc",
    )
    assert meeting.place == ""
    assert meeting.chair is None


def test_schedule_needs_a_place_or_link(coordinator):
    assert_refused(
        meetings.meeting_schedule,
        "place",
        by=coordinator,
        kind=Meeting.Kind.CLINIC,
        starts_at=NEXT_WEEK,
        place="  ",
    )
    assert not Meeting.objects.exists()


@pytest.mark.parametrize("role", ["tactical_lead", "coordinator"])
def test_chair_may_be_tactical_lead_or_coordinator(coordinator, role):
    chair = UserFactory(roles=[role])
    meeting = meetings.meeting_schedule(
        by=coordinator, kind=Meeting.Kind.CLINIC, starts_at=NEXT_WEEK, place="Room", chair=chair
    )
    assert meeting.chair == chair


@pytest.mark.parametrize("role", ["officer", "solicitor", "partner"])
def test_chair_with_another_role_refused(coordinator, role):
    assert_refused(
        meetings.meeting_schedule,
        "chair",
        by=coordinator,
        kind=Meeting.Kind.CLINIC,
        starts_at=NEXT_WEEK,
        place="Room",
        chair=UserFactory(roles=[role]),
    )


def test_schedule_refuses_unknown_kind_and_naive_time(coordinator):
    assert_refused(
        meetings.meeting_schedule,
        "kind",
        by=coordinator,
        kind="party",
        starts_at=NEXT_WEEK,
        place="Room",
    )
    assert_refused(
        meetings.meeting_schedule,
        "starts_at",
        by=coordinator,
        kind=Meeting.Kind.CLINIC,
        starts_at=datetime.datetime(2026, 3, 3, 10, 0),  # noqa: DTZ001 - naive on purpose
        place="Room",
    )


# --- meeting_update ------------------------------------------------------------------------------


def update(meeting, by, version=None, **changes):
    values = {
        "kind": meeting.kind,
        "starts_at": meeting.starts_at,
        "place": meeting.place,
        "online_link": meeting.online_link,
        "chair": meeting.chair,
        "status": meeting.status,
        "notes": meeting.notes,
    }
    values.update(changes)
    return meetings.meeting_update(
        meeting=meeting,
        by=by,
        version=meeting.version if version is None else version,
        **values,
    )


def test_update_changes_fields_moves_version_and_audits(meeting, coordinator):
    updated = update(meeting, coordinator, place="Room 2", status=Meeting.Status.HELD, chair=None)

    assert updated.place == "Room 2"
    assert updated.status == Meeting.Status.HELD
    assert updated.chair is None
    assert updated.version == 2
    event = audit_events(meeting, AuditEvent.Action.ALTERATION).get()
    assert event.changed_fields == ["chair", "place", "status"]


def test_update_without_change_writes_nothing(meeting, coordinator):
    updated = update(meeting, coordinator)
    assert updated.version == 1
    assert not audit_events(meeting, AuditEvent.Action.ALTERATION).exists()


def test_update_on_stale_version_is_refused_and_names_who(meeting, coordinator, lead):
    update(meeting, lead, place="Room 2")
    with pytest.raises(ChangedByAnotherUser) as excinfo:
        update(meeting, coordinator, version=1, place="Room 3")
    assert excinfo.value.by == lead.display_name
    meeting.refresh_from_db()
    assert meeting.place == "Room 2"
    assert meeting.version == 2


def test_update_validates_like_schedule(meeting, coordinator):
    assert_refused(update, "place", meeting=meeting, by=coordinator, place="", online_link="")
    assert_refused(update, "status", meeting=meeting, by=coordinator, status="postponed")
    assert_refused(
        update, "chair", meeting=meeting, by=coordinator, chair=UserFactory(roles=["officer"])
    )


# --- attendees -----------------------------------------------------------------------------------


def test_invite_a_user_takes_their_agency(meeting, coordinator):
    partner = UserFactory(roles=["partner"])
    attendee = attendance.attendee_invite(meeting=meeting, by=coordinator, user=partner)

    assert attendee.agency == partner.agency
    assert attendee.attendance == Attendee.Attendance.INVITED
    assert audit_events(attendee, AuditEvent.Action.COLLECTION).count() == 1


def test_invite_a_user_with_another_agency(meeting, coordinator):
    agency = AgencyFactory(name="Mental health trust")
    attendee = attendance.attendee_invite(
        meeting=meeting, by=coordinator, user=UserFactory(roles=["partner"]), agency=agency
    )
    assert attendee.agency == agency


def test_invite_a_named_person(meeting, coordinator):
    agency = AgencyFactory(name="Probation")
    attendee = attendance.attendee_invite(
        meeting=meeting, by=coordinator, name=" Pat Probation ", agency=agency
    )
    assert attendee.user is None
    assert attendee.name == "Pat Probation"
    assert attendee.agency == agency


def test_invite_needs_user_or_name(meeting, coordinator):
    assert_refused(attendance.attendee_invite, "user", meeting=meeting, by=coordinator, name=" ")


def test_user_invited_twice_refused(meeting, coordinator):
    partner = UserFactory(roles=["partner"])
    attendance.attendee_invite(meeting=meeting, by=coordinator, user=partner)
    assert_refused(
        attendance.attendee_invite, "user", meeting=meeting, by=coordinator, user=partner
    )
    assert meeting.attendees.count() == 1


def test_attendance_record(meeting, coordinator):
    attendee = AttendeeFactory(meeting=meeting)
    attendance.attendance_record(
        attendee=attendee, by=coordinator, attendance=Attendee.Attendance.APOLOGIES
    )
    attendee.refresh_from_db()
    assert attendee.attendance == Attendee.Attendance.APOLOGIES
    assert audit_events(attendee, AuditEvent.Action.ALTERATION).get().changed_fields == [
        "attendance"
    ]
    assert_refused(
        attendance.attendance_record,
        "attendance",
        attendee=attendee,
        by=coordinator,
        attendance="late",
    )


def test_confidentiality_recorded_once(meeting, coordinator, lead):
    attendee = AttendeeFactory(meeting=meeting)
    first = attendance.confidentiality_record(attendee=attendee, by=coordinator)
    agreed_at = first.confidentiality_agreed_at
    assert agreed_at is not None
    assert first.confidentiality_recorded_by == coordinator

    again = attendance.confidentiality_record(attendee=attendee, by=lead)

    assert again.confidentiality_agreed_at == agreed_at
    assert again.confidentiality_recorded_by == coordinator
    assert audit_events(attendee, AuditEvent.Action.ALTERATION).count() == 1


# --- agenda --------------------------------------------------------------------------------------


def test_agenda_add_puts_case_last_with_its_risk(meeting, coordinator):
    first_case = CaseFactory(risk_level="high")
    second_case = CaseFactory(risk_level="medium")
    first = agenda.agenda_add(meeting=meeting, by=coordinator, case=first_case, reason="New")
    second = agenda.agenda_add(meeting=meeting, by=coordinator, case=second_case)

    assert (first.position, second.position) == (1, 2)
    assert first.risk_at_agenda == "high"
    assert second.risk_at_agenda == "medium"
    assert first.reason == "New"
    assert audit_events(first, AuditEvent.Action.COLLECTION).count() == 1


def test_agenda_add_refuses_a_case_twice(meeting, coordinator):
    case = CaseFactory()
    agenda.agenda_add(meeting=meeting, by=coordinator, case=case)
    assert_refused(agenda.agenda_add, "case", meeting=meeting, by=coordinator, case=case)


def test_agenda_add_refuses_a_closed_case(meeting, coordinator):
    case = CaseFactory(status="closed")
    assert_refused(agenda.agenda_add, "case", meeting=meeting, by=coordinator, case=case)


def test_agenda_add_refused_on_a_cancelled_meeting(coordinator):
    meeting = MeetingFactory(status=Meeting.Status.CANCELLED)
    assert_refused(agenda.agenda_add, None, meeting=meeting, by=coordinator, case=CaseFactory())


def test_agenda_remove(meeting, coordinator):
    item = AgendaItemFactory(meeting=meeting)
    agenda.agenda_remove(item=item, by=coordinator)
    assert not AgendaItem.objects.filter(pk=item.pk).exists()
    assert audit_events(meeting, AuditEvent.Action.ALTERATION).get().changed_fields == ["agenda"]


def test_agenda_remove_refused_once_discussed(meeting, coordinator):
    item = AgendaItemFactory(meeting=meeting, discussed_at=timezone.now())
    assert_refused(agenda.agenda_remove, None, item=item, by=coordinator)
    assert AgendaItem.objects.filter(pk=item.pk).exists()


def test_agenda_remove_refused_with_actions(meeting, coordinator):
    item = AgendaItemFactory(meeting=meeting)
    ActionFactory(case=item.case, agenda_item=item)
    assert_refused(agenda.agenda_remove, None, item=item, by=coordinator)


def positions(meeting):
    return list(meeting.agenda.order_by("position", "id").values_list("case_id", flat=True))


def test_agenda_move_swaps_neighbours(meeting, coordinator):
    a, b, c = (AgendaItemFactory(meeting=meeting, position=n) for n in (1, 2, 3))

    agenda.agenda_move(item=c, by=coordinator, direction="up")
    assert positions(meeting) == [a.case_id, c.case_id, b.case_id]

    agenda.agenda_move(item=a, by=coordinator, direction="down")
    assert positions(meeting) == [c.case_id, a.case_id, b.case_id]
    assert audit_events(a, AuditEvent.Action.ALTERATION).get().changed_fields == ["position"]


def test_agenda_move_at_an_end_does_nothing(meeting, coordinator):
    a, b = (AgendaItemFactory(meeting=meeting, position=n) for n in (1, 2))
    agenda.agenda_move(item=a, by=coordinator, direction="up")
    agenda.agenda_move(item=b, by=coordinator, direction="down")
    assert positions(meeting) == [a.case_id, b.case_id]
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.ALTERATION).exists()


def test_agenda_move_with_tied_positions(meeting, coordinator):
    a, b = (AgendaItemFactory(meeting=meeting, position=1) for _ in range(2))
    agenda.agenda_move(item=b, by=coordinator, direction="up")
    assert positions(meeting) == [b.case_id, a.case_id]


def test_agenda_move_refuses_other_directions(meeting, coordinator):
    item = AgendaItemFactory(meeting=meeting)
    assert_refused(agenda.agenda_move, "direction", item=item, by=coordinator, direction="left")


# --- discussion_record ---------------------------------------------------------------------------


def discuss(item, by, version=None, **changes):
    values = {
        "behaviours": "Follows her to work.",
        "motivation": "Rejected ex-partner.",
        "history": "Two previous partners.",
        "mental_health": "None known.",
        "agency_information": "Probation: on licence.",
        "risk_agreed": "high",
        "decisions": "Refer to probation.",
        "consider_spo": False,
    }
    values.update(changes)
    return agenda.discussion_record(
        item=item, by=by, version=item.version if version is None else version, **values
    )


def test_discussion_recorded_marks_case_discussed(meeting, lead):
    item = AgendaItemFactory(meeting=meeting)
    saved = discuss(item, lead)

    assert saved.discussed_by == lead
    assert saved.discussed_at is not None
    assert saved.risk_agreed == "high"
    assert saved.version == 2
    event = audit_events(item, AuditEvent.Action.ALTERATION).get()
    assert "discussed_at" in event.changed_fields
    assert "risk_agreed" in event.changed_fields


def test_correcting_a_discussion_keeps_when_it_was_discussed(meeting, lead, coordinator):
    item = AgendaItemFactory(meeting=meeting)
    first = discuss(item, lead)
    corrected = discuss(first, coordinator, decisions="Refer to probation and mental health.")
    assert corrected.discussed_at == first.discussed_at
    assert corrected.discussed_by == lead
    assert corrected.version == 3


def test_discussion_on_stale_version_refused(meeting, lead, coordinator):
    item = AgendaItemFactory(meeting=meeting)
    discuss(item, lead)
    with pytest.raises(ChangedByAnotherUser) as excinfo:
        discuss(item, coordinator, version=1, decisions="Something else")
    assert excinfo.value.by == lead.display_name
    item.refresh_from_db()
    assert item.decisions == "Refer to probation."


def test_discussion_refuses_unknown_risk(meeting, lead):
    item = AgendaItemFactory(meeting=meeting)
    assert_refused(discuss, "risk_agreed", item=item, by=lead, risk_agreed="extreme")


def test_discussion_refused_on_a_cancelled_meeting(lead):
    item = AgendaItemFactory(meeting=MeetingFactory(status=Meeting.Status.CANCELLED))
    assert_refused(discuss, None, item=item, by=lead)


def test_consider_spo_opens_the_spo_work_once(meeting, lead, solicitor):
    first_suspect, second_suspect = PersonFactory(), PersonFactory()
    case = CaseFactory(risk_level="high", suspects=[first_suspect])
    case.suspects.add(second_suspect)
    item = AgendaItemFactory(meeting=meeting, case=case)

    saved = discuss(item, lead, consider_spo=True, spo_solicitor=solicitor)

    application = Application.objects.get(case=case)
    assert application.solicitor == solicitor
    assert application.defendant == first_suspect
    assert list(application.protected_people.all()) == [case.victim]
    assert application.stage == Application.Stage.CONSIDERED
    assert saved.consider_spo is True

    # Saving the discussion again, still considering an SPO, opens nothing more.
    saved = discuss(
        saved, lead, consider_spo=True, spo_solicitor=solicitor, decisions="Also probation."
    )
    discuss(saved, lead, consider_spo=True, decisions="And the ISAC.")
    assert Application.objects.filter(case=case).count() == 1


def test_consider_spo_opens_nothing_while_an_application_is_under_way(meeting, lead, solicitor):
    # Unticked and ticked again, or a case whose order application another meeting (or the
    # solicitor) started already: the solicitor's work is not opened twice.
    item = AgendaItemFactory(meeting=meeting)
    saved = discuss(item, lead, consider_spo=True, spo_solicitor=solicitor)
    saved = discuss(saved, lead, consider_spo=False)
    discuss(saved, lead, consider_spo=True, spo_solicitor=solicitor)
    later = AgendaItemFactory(meeting=MeetingFactory(), case=item.case)
    discuss(later, lead, consider_spo=True, spo_solicitor=solicitor)
    assert Application.objects.filter(case=item.case).count() == 1

    # Once that application is decided, a new decision opens the work again.
    Application.objects.filter(case=item.case).update(stage=Application.Stage.REFUSED)
    again = AgendaItemFactory(meeting=MeetingFactory(), case=item.case)
    discuss(again, lead, consider_spo=True, spo_solicitor=solicitor)
    assert Application.objects.filter(case=item.case).count() == 2


def test_consider_spo_needs_a_solicitor(meeting, lead):
    item = AgendaItemFactory(meeting=meeting)
    assert_refused(discuss, "spo_solicitor", item=item, by=lead, consider_spo=True)
    assert_refused(
        discuss,
        "spo_solicitor",
        item=item,
        by=lead,
        consider_spo=True,
        spo_solicitor=UserFactory(roles=["officer"]),
    )
    item.refresh_from_db()
    assert item.discussed_at is None
    assert not Application.objects.exists()


def test_consider_spo_on_a_case_with_no_suspect(meeting, lead, solicitor):
    item = AgendaItemFactory(meeting=meeting, case=CaseFactory(suspects=[]))
    assert_refused(
        discuss, "consider_spo", item=item, by=lead, consider_spo=True, spo_solicitor=solicitor
    )
    item.refresh_from_db()
    assert item.discussed_at is None


def test_no_spo_without_the_decision(meeting, lead, solicitor):
    item = AgendaItemFactory(meeting=meeting)
    discuss(item, lead, spo_solicitor=solicitor)
    assert not Application.objects.exists()


# --- drop-in advice ------------------------------------------------------------------------------


@pytest.fixture
def drop_in(coordinator):
    return MeetingFactory(kind=Meeting.Kind.DROP_IN, convened_by=coordinator, chair=coordinator)


def test_drop_in_advice_for_an_officer_about_a_case(drop_in, coordinator):
    officer = UserFactory(roles=["officer"])
    case = CaseFactory()
    advice = drop_ins.drop_in_advice_record(
        meeting=drop_in,
        by=coordinator,
        officer=officer,
        case=case,
        question="Is this stalking?",
        advice=" Yes: record it as stalking and refer to the clinic. ",
    )
    assert advice.officer == officer
    assert advice.case == case
    assert advice.advice == "Yes: record it as stalking and refer to the clinic."
    assert advice.recorded_by == coordinator
    assert audit_events(advice, AuditEvent.Action.COLLECTION).count() == 1


def test_drop_in_advice_for_a_named_officer(drop_in, coordinator):
    advice = drop_ins.drop_in_advice_record(
        meeting=drop_in, by=coordinator, officer_name="PC 1234", advice="Use the S-DASH."
    )
    assert advice.officer is None
    assert advice.officer_name == "PC 1234"
    assert advice.case is None


def test_drop_in_advice_refusals(drop_in, meeting, coordinator):
    assert_refused(
        drop_ins.drop_in_advice_record,
        None,
        meeting=meeting,
        by=coordinator,
        officer_name="PC 1",
        advice="Advice",
    )
    assert_refused(
        drop_ins.drop_in_advice_record, "officer", meeting=drop_in, by=coordinator, advice="Advice"
    )
    assert_refused(
        drop_ins.drop_in_advice_record,
        "advice",
        meeting=drop_in,
        by=coordinator,
        officer_name="PC 1",
        advice="  ",
    )
    assert not DropInAdvice.objects.exists()
