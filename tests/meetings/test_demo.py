"""The meetings demo: past clinic meetings with minutes and open, overdue and done actions, a
meeting next week with its agenda, a drop-in session with advice; seeding twice changes nothing."""

import io

import pytest
from django.utils import timezone

from meetings import demo
from meetings.access import actions_visible_to
from meetings.models import Action, AgendaItem, Attendee, DropInAdvice, Meeting
from referrals.models import Share
from stalking_clinic.accounts.models import Agency, User
from stalking_clinic.demo.users import demo_agency, seed_users

from ..referrals.factories import CaseFactory
from ..savepoints import kept_for_module

pytestmark = pytest.mark.django_db


class _Command:
    def __init__(self):
        self.stdout = io.StringIO()


# Before the demo is seeded: it stays from the first test that asks for it to the end of the module.
def test_without_demo_cases_nothing_is_seeded(db):
    seed_users("demo-test-password")
    command = _Command()
    demo.seed(command)
    assert not Meeting.objects.exists()


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    """The demo seeded once for the module; each test's changes are rolled back."""
    with kept_for_module(django_db_blocker):
        seed_users("demo-test-password")
        for _ in range(4):
            CaseFactory(risk_level="high")
        demo.seed(_Command())
        yield


MODELS = (Meeting, Attendee, AgendaItem, Action, DropInAdvice, Share)


def test_demo_has_past_and_upcoming_clinic_meetings_and_a_drop_in(seeded):
    now = timezone.now()
    clinics = Meeting.objects.filter(kind=Meeting.Kind.CLINIC)
    held = clinics.filter(starts_at__lt=now, status=Meeting.Status.HELD)
    assert held.count() == 2
    upcoming = clinics.get(starts_at__gt=now)
    assert upcoming.status == Meeting.Status.PLANNED
    assert upcoming.agenda.count() >= 2
    assert not upcoming.agenda.filter(discussed_at__isnull=False).exists()
    drop_in = Meeting.objects.get(kind=Meeting.Kind.DROP_IN)
    assert drop_in.advice.filter(case__isnull=False).exists()
    for meeting in held:
        usernames = set(meeting.attendees.values_list("user__username", flat=True))
        assert {"coordinator", "tactical_lead", "partner_probation", "partner_cps"} <= usernames
        attended = meeting.attendees.filter(attendance=Attendee.Attendance.ATTENDED)
        assert not attended.filter(confidentiality_agreed_at__isnull=True).exists()
        items = meeting.agenda.all()
        assert items and all(i.discussed_at and i.decisions and i.behaviours for i in items)
    assert Attendee.objects.filter(attendance=Attendee.Attendance.APOLOGIES).exists()


def test_demo_actions_are_open_overdue_and_done_and_follow_the_rules(seeded):
    today = timezone.localdate()
    actions = Action.objects.select_related("agenda_item", "owner", "owner_agency")
    assert actions.filter(status=Action.Status.DONE, completed_at__isnull=False).exists()
    open_ = actions.exclude(status__in=Action.CLOSED)
    assert open_.filter(due_on__lt=today).exists() and open_.filter(due_on__gte=today).exists()
    kinds = set(actions.values_list("owner_agency__kind", flat=True))
    assert {Agency.Kind.PROBATION, Agency.Kind.CPS, Agency.Kind.POLICE} <= kinds
    for action in actions:
        assert action.agenda_item.discussed_at, "actions are on discussed cases"
        assert action.agenda_item.case_id == action.case_id
        assert action.owner is None or action.owner.agency_id == action.owner_agency_id
    # The partners see their agency's actions: the cases are shared with them.
    for username, kind in (("partner_probation", "probation"), ("partner_cps", "cps")):
        user = User.objects.get(username=username)
        mine = actions_visible_to(user)
        agency_actions = actions.filter(owner_agency__name=demo_agency(kind))
        assert agency_actions.exists()
        assert set(mine) >= set(agency_actions)


def test_seeding_again_duplicates_nothing(seeded):
    counts = [model.objects.count() for model in MODELS]
    command = _Command()
    demo.seed(command)
    assert [model.objects.count() for model in MODELS] == counts
    assert "already present" in command.stdout.getvalue()
