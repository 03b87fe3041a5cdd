"""A clinic meeting's agreed risk becomes the case's risk: recorded as the meeting's decision,
with a review date counted from the meeting, answering any lower level an assessment proposed."""

import datetime

import pytest
from django.utils import timezone

from meetings.services import agenda
from referrals.models import RiskAssessment, RiskDecision
from referrals.services.risk import default_review_on
from stalking_clinic.audit.models import AuditEvent

from ..factories import UserFactory
from ..referrals.factories_assessments import RiskAssessmentFactory
from .factories import AgendaItemFactory, MeetingFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def lead():
    return UserFactory(roles=["tactical_lead"], first_name="Tara", last_name="Lead")


@pytest.fixture
def item(lead):
    meeting = MeetingFactory(starts_at=timezone.now() - datetime.timedelta(days=2), chair=lead)
    return AgendaItemFactory(meeting=meeting)


def discuss(item, by, **changes):
    values = {
        "behaviours": "Follows her to work.",
        "motivation": "Rejected ex-partner.",
        "history": "Two previous partners.",
        "mental_health": "None known.",
        "agency_information": "Probation: on licence.",
        "risk_agreed": "medium",
        "decisions": "Refer to probation.",
        "consider_spo": False,
    }
    values.update(changes)
    item.refresh_from_db()
    return agenda.discussion_record(item=item, by=by, version=item.version, **values)


def test_the_risk_agreed_becomes_the_case_s_risk_as_the_meeting_s_decision(item, lead):
    case = item.case
    version = case.version
    discuss(item, lead, risk_agreed="medium")
    case.refresh_from_db()
    decision = case.risk_decisions.get()
    meeting_day = timezone.localdate(item.meeting.starts_at)
    assert (case.risk_level, case.risk_decided_by, case.version) == ("medium", lead, version + 1)
    assert (decision.source, decision.previous_level) == (RiskDecision.Source.MEETING, "high")
    assert item.meeting.reference in decision.reasons
    assert case.risk_review_on == default_review_on("medium", from_day=meeting_day)
    assert AuditEvent.objects.filter(
        action=AuditEvent.Action.ALTERATION,
        object_type="referrals.case",
        object_id=str(case.pk),
        actor=lead,
    ).exists()


def test_a_meeting_agreeing_the_same_level_still_decides_it(item, lead):
    discuss(item, lead, risk_agreed="high")
    item.case.refresh_from_db()
    decision = item.case.risk_decisions.get()
    assert (decision.previous_level, decision.level) == ("high", "high")


def test_correcting_the_discussion_without_changing_the_risk_decides_nothing_new(item, lead):
    discuss(item, lead, risk_agreed="high")
    discuss(item, lead, risk_agreed="high", decisions="Refer to probation and housing.")
    assert item.case.risk_decisions.count() == 1
    discuss(item, lead, risk_agreed="standard")
    assert item.case.risk_decisions.count() == 2


def test_no_risk_agreed_leaves_the_case_s_risk(item, lead):
    discuss(item, lead, risk_agreed="")
    assert not item.case.risk_decisions.exists()


def test_the_meeting_answers_a_waiting_proposal(item, lead):
    proposal = RiskAssessmentFactory(
        case=item.case, risk_level="medium", proposal=RiskAssessment.Proposal.PENDING
    )
    discuss(item, lead, risk_agreed="medium")
    proposal.refresh_from_db()
    assert proposal.proposal == RiskAssessment.Proposal.ACCEPTED
    assert item.case.risk_decisions.get().assessment == proposal
