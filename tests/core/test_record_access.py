"""Every page about one record, walked as an anonymous visitor and as each role.

The scenario: a case referred to the ISAC service and shared with probation (summary only), a
referral made by the officer, an assessment and a safety action on the case. Expected answers:
200 (allowed), 403 (the role may not use this kind of page), 404 (the role may use such pages but
may not know this record exists), 405 (the page only takes POST). A PDF page's PDF is faked
(tests/core/test_pdf.py draws a real one).
"""

import copy

import pytest
from django.urls import reverse
from django.utils import timezone

from referrals.models import (
    AgencyReferral,
    Case,
    Finding,
    LogImport,
    RiskAssessment,
    SafetyAction,
    Share,
)
from referrals.services.assessments import assessment_record
from stalking_clinic.accounts.models import Agency, Role

from ..factories import AgencyFactory, UserFactory
from ..referrals.factories import CaseFactory, QuestionSetFactory, ReferralFactory
from ..savepoints import kept_for_module, rolled_back
from ..spo.factories import (
    ApplicationFactory as SpoApplicationFactory,
)
from ..spo.factories import (
    BreachFactory,
    ConditionFactory,
    HearingFactory,
    NotificationFactory,
    OrderFactory,
)

pytestmark = pytest.mark.usefixtures("fake_pdf")

C, TL, SOL, ISAC = Role.COORDINATOR, Role.TACTICAL_LEAD, Role.SOLICITOR, Role.ISAC
OFFICER, PARTNER = Role.OFFICER, Role.PARTNER


def _closed_case(s):
    """The scenario's case, closed."""
    Case.objects.filter(pk=s["case"].pk).update(status=Case.Status.CLOSED)
    return {"pk": s["case"].pk}


def _probation_action(s):
    """An action owned by probation on the scenario's case (shared with probation)."""
    from ..meetings.factories import ActionFactory

    action = ActionFactory(case=s["case"], owner_agency=s["users"][PARTNER].agency)
    return {"pk": action.pk}


def _agenda_item(s):
    from ..meetings.factories import AgendaItemFactory

    return {"item_pk": AgendaItemFactory(case=s["case"]).pk}


def _meeting(s, *, invite_partner=True):
    """A meeting discussing the scenario's case; probation's member invited (confidentiality
    recorded), or not invited at all."""
    from ..meetings.factories import AgendaItemFactory, AttendeeFactory, MeetingFactory

    meeting = MeetingFactory()
    AgendaItemFactory(meeting=meeting, case=s["case"])
    if invite_partner:
        AttendeeFactory(
            meeting=meeting, user=s["users"][PARTNER], confidentiality_agreed_at=timezone.now()
        )
    return {"pk": meeting.pk}


def _meeting_part(s, what):
    """The pk of an attendee, an agenda item or a drop-in session, for the meeting pages."""
    from ..meetings.factories import AgendaItemFactory, AttendeeFactory, MeetingFactory

    if what == "attendee":
        return {"pk": AttendeeFactory(user=s["users"][PARTNER]).pk}
    if what == "item":
        return {"pk": AgendaItemFactory(case=s["case"]).pk}
    return {"pk": MeetingFactory(kind="drop_in").pk}


def _training_course(s):
    from ..training.factories import CourseFactory

    return {"pk": CourseFactory().pk}


def _training_session(s):
    from ..training.factories import SessionFactory

    return {"pk": SessionFactory().pk}


def _training_booking(s):
    """A booked place on a session to come, for an officer nobody in the scenario supervises."""
    from ..training.factories import BookingFactory

    return {"pk": BookingFactory().pk}


def _training_attended(s):
    """A session held yesterday (trainer from outside the scenario) and an attended booking on
    it, for an officer nobody in the scenario supervises."""
    import datetime

    from ..training.factories import BookingFactory, SessionFactory

    session = SessionFactory(starts_at=timezone.now() - datetime.timedelta(days=1))
    booking = BookingFactory(session=session, status="attended")
    return {"session": session.pk, "booking": booking.pk}


def _training_trainee(s):
    """An officer on the officer list whose supervisor is the scenario's supervisor and who
    signs in as the scenario's officer (collar numbers on their accounts)."""
    from ..training.factories import TraineeFactory

    for role, number in ((Role.SUPERVISOR, "SGT1"), (OFFICER, "PC1")):
        s["users"][role].collar_number = number
        s["users"][role].save(update_fields=["collar_number"])
    sergeant = TraineeFactory(collar_number="SGT1")
    return {"pk": TraineeFactory(collar_number="PC1", supervisor=sergeant).pk}


def _training_champion(s):
    from ..training.factories import ChampionFactory

    return {"pk": ChampionFactory().pk}


def _training_cpd_entry(s):
    """An entry in the scenario's ISAC's own CPD log."""
    from ..training.factories import CPDEntryFactory

    return {"pk": CPDEntryFactory(user=s["users"][ISAC]).pk}


def _training_officer_import(s):
    from training.models import OfficerImport

    return {"pk": OfficerImport.objects.create(uploaded_by=s["users"][C]).pk}


def _unusual_access(s):
    from stalking_clinic.audit.models import UnusualAccess

    return {"pk": UnusualAccess.objects.create(user=s["users"][C], records=60, minutes=10).pk}


# url name -> (how to build its kwargs from the scenario, {role: status}); unlisted roles: 403.
RECORD_PAGES = {
    # Probation's action on a case shared with probation: its members and the clinic see it;
    # the solicitor and ISAC use actions but not this one (tests/meetings/test_actions.py).
    "meetings:action_detail": (
        _probation_action,
        {C: 200, TL: 200, PARTNER: 200, SOL: 404, ISAC: 404},
    ),
    "meetings:action_new": (_agenda_item, {C: 200, TL: 200}),
    # Minutes: the clinic produces any copy, an invited partner only its agency's copy; the
    # solicitor and ISAC see meetings but send no minutes out (tests/meetings/test_minutes.py).
    "meetings:minutes": (_meeting, {C: 200, TL: 200, PARTNER: 200}),
    # A plain link to the PDF goes to the page; a partner not invited may not know the meeting.
    "meetings:minutes_pdf": (
        lambda s: _meeting(s, invite_partner=False),
        {C: 302, TL: 302, PARTNER: 404},
    ),
    # Meetings: the clinic sees every meeting, a partner only those it is invited to; changes
    # are for the coordinator and tactical lead (tests/meetings/test_views.py).
    "meetings:meeting_detail": (
        lambda s: _meeting(s, invite_partner=False),
        {C: 200, TL: 200, SOL: 200, ISAC: 200, PARTNER: 404},
    ),
    "meetings:meeting_edit": (_meeting, {C: 200, TL: 200}),
    "meetings:attendee_new": (_meeting, {C: 200, TL: 200}),
    "meetings:agenda": (_meeting, {C: 200, TL: 200}),
    "meetings:agenda_add": (_meeting, {C: 200, TL: 200}),
    "meetings:discussion": (lambda s: _meeting_part(s, "item"), {C: 200, TL: 200}),
    "meetings:advice_new": (lambda s: _meeting_part(s, "drop_in"), {C: 200, TL: 200}),
    "meetings:attendance": (lambda s: _meeting_part(s, "attendee"), {C: 405, TL: 405}),
    "meetings:confidentiality": (lambda s: _meeting_part(s, "attendee"), {C: 405, TL: 405}),
    "meetings:agenda_move": (lambda s: _meeting_part(s, "item"), {C: 405, TL: 405}),
    "meetings:agenda_remove": (lambda s: _meeting_part(s, "item"), {C: 405, TL: 405}),
    "referrals:referral_detail": (
        lambda s: {"pk": s["referral"].pk},
        {C: 200, TL: 200, OFFICER: 200, SOL: 404, ISAC: 404, Role.CHAMPION: 404, PARTNER: 404},
    ),
    "referrals:triage": (lambda s: {"pk": s["referral"].pk}, {C: 200, TL: 200}),
    "referrals:assign": (lambda s: {"pk": s["referral"].pk}, {C: 405, TL: 405}),
    "referrals:match_person": (lambda s: {"pk": s["referral"].pk}, {C: 405, TL: 405}),
    # The case is open and medium risk, owned by a coordinator from outside the scenario: the
    # coordinator's own work, not the tactical lead's, who is asked why first (break-glass,
    # tests/referrals/test_break_glass.py); the solicitor brings its SPO application.
    "referrals:case_detail": (
        lambda s: {"pk": s["case"].pk},
        {C: 200, TL: 302, SOL: 200, ISAC: 200, PARTNER: 200},
    ),
    # Each page of the case asks the tactical lead why first: the scenario's case is outside
    # their own work (break-glass, tests/referrals/test_break_glass.py).
    "referrals:note_add": (lambda s: {"pk": s["case"].pk}, {C: 200, TL: 302, SOL: 200, ISAC: 200}),
    "referrals:share": (lambda s: {"pk": s["case"].pk}, {C: 200, TL: 302}),
    # Closing, reopening and outcomes: those who decide on the case (its owner, here a
    # coordinator from outside the scenario, the coordinator and the tactical lead); the ISAC
    # sees the case but does not own it (tests/referrals/test_case_status.py).
    "referrals:case_close": (lambda s: {"pk": s["case"].pk}, {C: 200, TL: 200}),
    "referrals:case_reopen": (_closed_case, {C: 200, TL: 200}),
    "referrals:case_keep_closed": (_closed_case, {C: 200, TL: 200}),
    # Reviewing a closed record: the coordinator and the tactical lead (tests/referrals/
    # test_retention.py); an open case has no record to review (404).
    "referrals:record_review": (_closed_case, {C: 200, TL: 200}),
    "referrals:outcome_add": (lambda s: {"pk": s["case"].pk}, {C: 200, TL: 200}),
    "referrals:refer_isac": (lambda s: {"pk": s["case"].pk}, {C: 200, TL: 302}),
    # The case's owner (nobody here), the coordinator and the tactical lead decide its risk; the
    # ISAC sees the whole case but does not own it (tests/referrals/test_risk_decisions.py).
    "referrals:case_risk": (lambda s: {"pk": s["case"].pk}, {C: 200, TL: 302, ISAC: 403}),
    # The case is referred to the scenario ISAC's own service (tests/referrals/test_allocation.py
    # has an ISAC of another service).
    "referrals:allocate_advocate": (
        lambda s: {"pk": s["case"].pk},
        {C: 200, TL: 302, ISAC: 200, SOL: 403, PARTNER: 403},
    ),
    "referrals:owner_change": (lambda s: {"pk": s["case"].pk}, {C: 200, TL: 302}),
    "referrals:person_detail": (lambda s: {"pk": s["case"].victim_id}, {C: 200, TL: 302, SOL: 200}),
    "referrals:person_edit": (lambda s: {"pk": s["case"].victim_id}, {C: 200, TL: 302}),
    # Break-glass: the reason page, for whoever sees the record (tests/referrals/
    # test_break_glass.py); who has seen a record: the coordinator, tactical lead and auditors.
    "referrals:case_break_glass": (
        lambda s: {"pk": s["case"].pk},
        {C: 200, TL: 200, SOL: 200, ISAC: 200, PARTNER: 200},
    ),
    "referrals:person_break_glass": (
        lambda s: {"pk": s["case"].victim_id},
        {C: 200, TL: 200, SOL: 200},
    ),
    "referrals:case_access_log": (
        lambda s: {"pk": s["case"].pk},
        {C: 200, TL: 200, Role.ADMINISTRATOR: 200},
    ),
    "referrals:person_access_log": (
        lambda s: {"pk": s["case"].victim_id},
        {C: 200, TL: 200, Role.ADMINISTRATOR: 200},
    ),
    "audit:unusual_access_reviewed": (_unusual_access, {TL: 405, Role.ADMINISTRATOR: 405}),
    "referrals:assessment_new": (
        lambda s: {"case_pk": s["case"].pk, "instrument": "sdash"},
        {C: 200, ISAC: 200},
    ),
    "referrals:assessment_detail": (
        lambda s: {"pk": s["assessment"].pk},
        {C: 200, TL: 302, SOL: 200, ISAC: 200, PARTNER: 404},
    ),
    "referrals:assessment_amend": (lambda s: {"pk": s["assessment"].pk}, {C: 200, ISAC: 200}),
    "referrals:safety_action_add": (lambda s: {"case_pk": s["case"].pk}, {C: 200, ISAC: 200}),
    "referrals:safety_action_edit": (lambda s: {"pk": s["safety_action"].pk}, {C: 200, ISAC: 200}),
    "referrals:victim_voice_add": (lambda s: {"case_pk": s["case"].pk}, {ISAC: 200}),
    "referrals:log_entries_seen": (
        lambda s: {"pk": s["case"].pk},
        {C: 405, TL: 405, SOL: 405, ISAC: 405, PARTNER: 405},
    ),
    "referrals:log_import_detail": (lambda s: {"pk": s["log_import"].pk}, {C: 200}),
    "referrals:log_import_progress": (lambda s: {"pk": s["log_import"].pk}, {C: 200}),
    "referrals:finding_detail": (lambda s: {"pk": s["finding"].pk}, {C: 200, TL: 200}),
    "referrals:finding_link": (lambda s: {"pk": s["finding"].pk}, {C: 200, TL: 200}),
    "referrals:finding_dismiss": (lambda s: {"pk": s["finding"].pk}, {C: 200, TL: 200}),
    "referrals:finding_refer": (lambda s: {"pk": s["finding"].pk}, {C: 200, TL: 200}),
    # POST only, so a GET is 405 before any lookup; that only the recipient may dismiss a
    # reminder (404 for anyone else's) is tested in tests/spo/test_reminders.py.
    "spo:reminder_dismiss": (lambda s: {"pk": 1}, {C: 405, TL: 405, SOL: 405}),
    # Protection orders: the officer is the officer in the case; the case's orders are not
    # shared with probation. Changes are for the solicitor, coordinator and tactical lead.
    "spo:application_detail": (
        lambda s: {"pk": s["spo"]["application"].pk},
        {
            C: 200,
            TL: 200,
            SOL: 200,
            OFFICER: 200,
            Role.CHAMPION: 404,
            PARTNER: 404,
        },
    ),
    # Starting an application shows the case: outside the tactical lead's own work, a reason first.
    "spo:application_new": (lambda s: {"case_pk": s["case"].pk}, {C: 200, TL: 302, SOL: 200}),
    "spo:application_edit": (
        lambda s: {"pk": s["spo"]["application"].pk},
        {C: 200, TL: 200, SOL: 200},
    ),
    "spo:application_move": (
        lambda s: {"pk": s["spo"]["application"].pk},
        {C: 200, TL: 200, SOL: 200},
    ),
    "spo:condition_add": (
        lambda s: {"pk": s["spo"]["application"].pk},
        {C: 200, TL: 200, SOL: 200},
    ),
    "spo:condition_edit": (
        lambda s: {"pk": s["spo"]["condition"].pk},
        {C: 200, TL: 200, SOL: 200},
    ),
    "spo:order_new": (
        lambda s: {"pk": s["spo"]["application"].pk},
        {C: 200, TL: 200, SOL: 200},
    ),
    "spo:order_served": (
        lambda s: {"pk": s["spo"]["order"].pk},
        {C: 200, TL: 200, SOL: 200},
    ),
    "spo:notification_new": (
        lambda s: {"pk": s["spo"]["order"].pk},
        {C: 200, TL: 200, SOL: 200},
    ),
    "spo:notification_record": (
        lambda s: {"pk": s["spo"]["notification"].pk},
        {C: 200, TL: 200, SOL: 200},
    ),
    "spo:hearing_new": (
        lambda s: {"pk": s["spo"]["application"].pk},
        {C: 200, TL: 200, SOL: 200},
    ),
    "spo:hearing_edit": (
        lambda s: {"pk": s["spo"]["hearing"].pk},
        {C: 200, TL: 200, SOL: 200},
    ),
    "spo:breach_new": (
        lambda s: {"pk": s["spo"]["order"].pk},
        {C: 200, TL: 200, SOL: 200},
    ),
    "spo:breach_outcome": (
        lambda s: {"pk": s["spo"]["breach"].pk},
        {C: 200, TL: 200, SOL: 200},
    ),
    "spo:application_follow_on": (
        lambda s: {"order_pk": s["spo"]["order"].pk},
        {C: 200, TL: 200, SOL: 200},
    ),
    "spo:condition_remove": (
        lambda s: {"pk": s["spo"]["condition"].pk},
        {C: 405, TL: 405, SOL: 405},
    ),
    "spo:condition_move": (
        lambda s: {"pk": s["spo"]["condition"].pk},
        {C: 405, TL: 405, SOL: 405},
    ),
    "spo:application_pack": (
        lambda s: {"pk": s["spo"]["application"].pk},
        {C: 200, TL: 200, SOL: 200},
    ),
    # A plain link to the pack goes to the form that asks for its recipient.
    "spo:application_pack_pdf": (
        lambda s: {"pk": s["spo"]["application"].pk},
        {C: 302, TL: 302, SOL: 302},
    ),
    "spo:order_details_pdf": (
        lambda s: {"pk": s["spo"]["application"].pk, "order_pk": s["spo"]["order"].pk},
        {
            C: 200,
            TL: 200,
            SOL: 200,
            OFFICER: 200,
            Role.CHAMPION: 404,
            PARTNER: 404,
        },
    ),
    # Courses and sessions: everyone in training sees them; the coordinator and tactical lead
    # change them (tests/training/test_courses.py, test_sessions.py).
    "training:course_detail": (
        _training_course,
        {C: 200, TL: 200, SOL: 200, ISAC: 200, Role.SUPERVISOR: 200, OFFICER: 200}
        | {Role.CHAMPION: 200},
    ),
    "training:course_edit": (_training_course, {C: 200, TL: 200}),
    "training:session_detail": (
        _training_session,
        {C: 200, TL: 200, SOL: 200, ISAC: 200, Role.SUPERVISOR: 200, OFFICER: 200}
        | {Role.CHAMPION: 200},
    ),
    "training:session_edit": (_training_session, {C: 200, TL: 200}),
    "training:session_cancel": (_training_session, {C: 200, TL: 200}),
    # Booking: supervisors and the managers (tests/training/test_booking_views.py). A booking is
    # seen by the managers, the trainee, their supervisor and the trainer: nobody else here.
    "training:book": (_training_session, {C: 200, TL: 200, Role.SUPERVISOR: 200}),
    "training:booking_cancel": (
        _training_booking,
        {C: 200, TL: 200, SOL: 404, ISAC: 404, Role.SUPERVISOR: 404, OFFICER: 404}
        | {Role.CHAMPION: 404},
    ),
    "training:booking_ics": (
        _training_booking,
        {C: 200, TL: 200, SOL: 404, ISAC: 404, Role.SUPERVISOR: 404, OFFICER: 404}
        | {Role.CHAMPION: 404},
    ),
    # The register: the managers or the session's trainer (tests/training/test_attendance.py);
    # the certificate: whoever may see the attended booking (test_certificate.py).
    "training:attendance": (lambda s: {"pk": _training_attended(s)["session"]}, {C: 200, TL: 200}),
    "training:certificate_pdf": (
        lambda s: {"pk": _training_attended(s)["booking"]},
        {C: 200, TL: 200, SOL: 404, ISAC: 404, Role.SUPERVISOR: 404, OFFICER: 404}
        | {Role.CHAMPION: 404},
    ),
    # The officer list: a training record is seen by the managers, the officer's supervisor and
    # the officer (tests/training/test_roster_views.py); imports are for the managers.
    "training:officer_detail": (
        _training_trainee,
        {C: 200, TL: 200, Role.SUPERVISOR: 200, OFFICER: 200, SOL: 404, ISAC: 404}
        | {Role.CHAMPION: 404},
    ),
    "training:officer_import_detail": (_training_officer_import, {C: 200, TL: 200}),
    # Champions: the managers change the register (tests/training/test_champions.py). CPD: each
    # person changes only their own entries; the managers read everyone's but write none of
    # them (403); other staff may not know someone else's entry exists (tests/training/test_cpd.py).
    "training:champion_edit": (_training_champion, {C: 200, TL: 200}),
    "training:cpd_edit": (_training_cpd_entry, {ISAC: 200, SOL: 404}),
    "training:cpd_delete": (_training_cpd_entry, {ISAC: 200, SOL: 404}),
}


@pytest.fixture(scope="module")
def built_scenario(django_db_setup, django_db_blocker):
    """The scenario, built once for the module (it takes most of a second)."""
    with kept_for_module(django_db_blocker):
        yield _build_scenario()


@pytest.fixture
def scenario(db, built_scenario):
    """The module's scenario for one page: what the page's test writes is rolled back after it,
    and it gets its own copy of the objects, which a page's builder may change."""
    return copy.deepcopy(built_scenario)


def _build_scenario():
    isac_service = AgencyFactory(name="Advocacy", kind=Agency.Kind.ISAC_SERVICE, is_partner=False)
    probation = AgencyFactory(name="Probation", kind=Agency.Kind.PROBATION)
    users = {
        role: UserFactory(
            roles=[role] if role else [],
            username=f"rec_{role or 'none'}",
            agency={ISAC: isac_service, PARTNER: probation}.get(role),
        )
        for role in [*Role.values, None]
    }
    case = CaseFactory()
    AgencyReferral.objects.create(
        case=case, agency=isac_service, reason="High risk", referred_by=users[C]
    )
    Share.objects.create(
        case=case, agency=probation, sections=["summary"], reason="x", shared_by=users[C]
    )
    QuestionSetFactory()
    assessment = assessment_record(
        case=case,
        instrument="sdash",
        by=users[C],
        answers={q["key"]: "no" for q in QuestionSetFactory().questions},
        risk_level="standard",
    )
    log_import = LogImport.objects.create(file_name="export.csv", source="upload")
    finding = Finding.objects.create(
        key=f"{case.suspects.first().person_ref}|{case.victim.person_ref}",
        kind=Finding.Kind.PATTERN,
        victim_id=case.victim.person_ref,
        suspect_id=case.suspects.first().person_ref,
        first_seen=timezone.now(),
        last_seen=timezone.now(),
        entry_count=3,
        score=50,
    )
    spo_application = SpoApplicationFactory(
        case=case, officer_in_case=users[OFFICER], stage="interim"
    )
    spo_order = OrderFactory(application=spo_application)
    spo = {
        "application": spo_application,
        "order": spo_order,
        "condition": ConditionFactory(application=spo_application),
        "hearing": HearingFactory(application=spo_application),
        "notification": NotificationFactory(order=spo_order),
        "breach": BreachFactory(order=spo_order),
    }
    return {
        "log_import": log_import,
        "spo": spo,
        "finding": finding,
        "users": users,
        "case": case,
        "referral": ReferralFactory(referred_by=users[OFFICER]),
        "assessment": assessment,
        "safety_action": SafetyAction.objects.create(
            case=case, description="Doorbell", owner="Police"
        ),
    }


ROLES = [*sorted(Role.values), None]


@pytest.mark.parametrize("name", sorted(RECORD_PAGES))
def test_each_visitor_gets_what_the_design_says(client, scenario, subtests, name):
    """Each visitor's request is rolled back before the next, so each finds the scenario as it
    was built for them."""
    kwargs_for, expected = RECORD_PAGES[name]
    url = reverse(name, kwargs=kwargs_for(scenario))
    with subtests.test("anonymous visitor is sent to sign in"), rolled_back():
        response = client.get(url)
        assert response.status_code == 302 and "/sign-in/" in response["Location"]
    for role in ROLES:
        with subtests.test(role=role or "no-role"), rolled_back():
            client.force_login(scenario["users"][role])
            response = client.get(url)
            assert response.status_code == expected.get(role, 403), f"{role} on {name}"
            assert RiskAssessment.objects.count() == 1
