"""What meetings put on the case timeline: discussions, drop-in advice, and actions agreed,
completed and missed; in the "Timeline and notes" section only; a fixed number of queries."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

import meetings.timeline  # registers the sources, as meetings/apps.py does
from meetings.models import Action, DropInAdvice, Meeting
from referrals.models import Share
from referrals.timeline import timeline_for
from stalking_clinic.accounts.models import Role

from ..factories import AgencyFactory
from ..referrals.factories import CaseFactory
from .factories import ActionFactory, AgendaItemFactory, MeetingFactory

TIMELINE = Share.Section.TIMELINE
DISCUSSIONS = Share.Section.DISCUSSIONS


@pytest.fixture
def case(db):
    return CaseFactory(risk_level="high")


def _history(case, make_user, *, n=1):
    today = timezone.localdate()
    lead = make_user(Role.TACTICAL_LEAD, username=f"lead{n}")
    probation = AgencyFactory(name="Probation (timeline)")
    for i in range(n):
        meeting = MeetingFactory(
            status=Meeting.Status.HELD, starts_at=timezone.now() - datetime.timedelta(days=30 + i)
        )
        item = AgendaItemFactory(
            meeting=meeting,
            case=case,
            risk_agreed="high",
            decisions="Probation to consider recall.",
            discussed_at=meeting.starts_at,
            discussed_by=lead,
        )
        ActionFactory(
            case=case,
            agenda_item=item,
            owner_agency=probation,
            created_by=lead,
            description="Consider recall",
            due_on=today - datetime.timedelta(days=5),
        )
        ActionFactory(
            case=case,
            agenda_item=item,
            owner_agency=probation,
            created_by=lead,
            status=Action.Status.DONE,
            completed_at=timezone.now() - datetime.timedelta(days=2),
        )
        ActionFactory(case=case, agenda_item=item, owner_agency=probation, created_by=lead)
        drop_in = MeetingFactory(kind=Meeting.Kind.DROP_IN, status=Meeting.Status.HELD)
        DropInAdvice.objects.create(
            meeting=drop_in,
            officer_name="PC Visitor",
            case=case,
            advice="Record it as s.2A stalking.",
            recorded_by=lead,
        )
    return lead


def _titles(entries):
    return [f"{e.kind}: {e.title}" for e in entries]


def test_discussions_advice_and_actions_are_on_the_timeline(case, make_user):
    _history(case, make_user)
    entries = timeline_for(case, {TIMELINE, DISCUSSIONS})
    titles = _titles(entries)
    discussion = next(e for e in entries if e.kind == "Meeting discussion")
    meeting = Meeting.objects.filter(kind=Meeting.Kind.CLINIC).get()
    assert discussion.title == f"Discussed at clinic meeting {meeting.reference}"
    assert "Risk agreed: High" in discussion.lines
    assert discussion.detail == "Probation to consider recall."
    advice = next(e for e in entries if e.kind == "Drop-in advice")
    assert advice.detail == "Record it as s.2A stalking."
    overdue, done, later = Action.objects.order_by("id")
    assert sum(t.startswith("Action: Action ACT-") and " agreed at " in t for t in titles) == 3
    assert f"Action: Action {done.reference} completed by Probation (timeline)" in titles
    since = overdue.due_on + datetime.timedelta(days=1)
    missed = [e for e in entries if e.kind == "Action missed"]
    assert [e.title for e in missed] == [
        f"Action {overdue.reference} overdue since {since.day} {since:%B %Y}"
    ]
    assert not any(later.reference in t for t in titles if "overdue" in t or "completed" in t)


def test_discussions_are_on_the_timeline_only_with_clinic_discussions_shared(case, make_user):
    _history(case, make_user)
    kinds = {e.kind for e in timeline_for(case, {TIMELINE})}
    assert "Meeting discussion" not in kinds and "Action" in kinds
    discussions = [e for e in timeline_for(case, {DISCUSSIONS}) if e.kind == "Meeting discussion"]
    assert [e.detail for e in discussions] == ["Probation to consider recall."]


def test_undiscussed_agenda_items_and_closed_or_future_actions_are_not_missed(case, make_user):
    AgendaItemFactory(case=case)  # on an agenda, not yet discussed
    ActionFactory(
        case=case,
        status=Action.Status.CANCELLED,
        due_on=timezone.localdate() - datetime.timedelta(days=9),
    )
    entries = timeline_for(case, {TIMELINE})
    assert not [e for e in entries if e.kind in {"Meeting discussion", "Action missed"}]


def test_nothing_shows_without_the_timeline_section(case, make_user):
    _history(case, make_user)
    entries = timeline_for(case, {Share.Section.SUMMARY, Share.Section.ORDERS})
    assert not [e for e in entries if e.kind.startswith(("Meeting", "Drop-in", "Action"))]


def test_each_source_costs_the_same_however_much_history(make_user):
    small, large = CaseFactory(), CaseFactory()
    _history(small, make_user, n=1)
    _history(large, make_user, n=4)
    sources = [meetings.timeline.discussions, meetings.timeline.drop_in_advice]
    sources.append(meetings.timeline.actions)

    def cost(case):
        counts = []
        for source in sources:
            with CaptureQueriesContext(connection) as queries:
                entries = list(source(case))
            assert entries
            counts.append(len(queries))
        return counts

    assert cost(small) == cost(large) == [1, 1, 1]
