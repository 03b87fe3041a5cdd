"""The training demo: a fictional force of a few hundred officers in six areas, a year of
sessions with attendance (compliance varied by area), the next two months of sessions with
bookings and waiting lists, champions and CPD; the demo logins linked to the officer list;
seeding twice changes nothing."""

import datetime
import io
from unittest import mock

import pytest
from django.utils import timezone

from stalking_clinic.accounts.models import User
from stalking_clinic.demo.users import seed_users
from training import demo
from training.access import team_of, trainee_of
from training.models import (
    Area,
    Booking,
    Champion,
    Course,
    CPDEntry,
    Session,
    Team,
    Trainee,
)
from training.selectors.compliance import Standing, add_months, standings_for
from training.selectors.sessions import with_places

from ..savepoints import kept_for_module

MODELS = (Area, Team, Trainee, Course, Session, Booking, Champion, CPDEntry)


pytestmark = pytest.mark.django_db


class _Command:
    def __init__(self):
        self.stdout = io.StringIO()


# Before the demo is seeded: it stays from the first test that asks for it to the end of the module.
def test_without_the_demo_users_it_does_nothing(db):
    command = _Command()
    demo.seed(command)
    assert "missing" in command.stdout.getvalue()
    assert not Trainee.objects.exists()


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    """The demo seeded once for the module; each test's changes are rolled back."""
    with kept_for_module(django_db_blocker):
        seed_users("demo-test-password")
        demo.seed(_Command())
        yield


def _counts():
    return [model.objects.count() for model in MODELS]


def test_a_force_of_a_few_hundred_officers_in_six_areas(seeded):
    assert Area.objects.count() == 6
    assert Trainee.objects.count() >= 300
    for area in Area.objects.all():
        assert 4 <= area.teams.count() <= 6, area.name
    assert Trainee.objects.filter(job_role__name="Call handler").exists()
    assert Team.objects.filter(name__icontains="control room").count() == 1
    # Every officer below sergeant has a supervisor; every sergeant supervises their team.
    unsupervised = Trainee.objects.filter(supervisor__isnull=True).exclude(
        job_role__name__in=["Inspector"]
    )
    assert not unsupervised.exists()
    assert not Trainee.objects.filter(reports__isnull=False, job_role__name="Police constable")


def test_a_year_of_past_sessions_and_the_next_two_months(seeded):
    now = timezone.now()
    today = timezone.localdate()
    past = Session.objects.filter(starts_at__lt=now)
    for months_ago in range(1, 12):
        month = add_months(today.replace(day=1), -months_ago)
        in_month = past.filter(starts_at__year=month.year, starts_at__month=month.month)
        assert in_month.count() >= 3, month
    year = past.filter(starts_at__gte=now - datetime.timedelta(days=365))
    assert 6 * 12 <= year.count() <= 10 * 12
    assert not year.exclude(capacity__range=(12, 20)).exists()
    future = Session.objects.filter(starts_at__gte=now)
    assert future.filter(starts_at__lt=now + datetime.timedelta(days=30)).count() >= 4
    assert future.filter(starts_at__gte=now + datetime.timedelta(days=35)).count() >= 4
    assert not future.filter(starts_at__gte=now + datetime.timedelta(days=70)).exists()
    # Attendance recorded for the sessions held, except the last few days'.
    recorded = Booking.objects.filter(
        session__starts_at__lt=now - datetime.timedelta(days=10), status=Booking.Status.BOOKED
    )
    assert not recorded.exists()
    assert Booking.objects.filter(status=Booking.Status.ABSENT).exists()
    assert Booking.objects.filter(
        session__starts_at__lt=now, status=Booking.Status.BOOKED
    ).exists()  # some awaiting attendance


def test_some_upcoming_sessions_are_full_with_a_waiting_list(seeded):
    upcoming = with_places(Session.objects.filter(starts_at__gte=timezone.now()))
    full = upcoming.filter(places_left=0, waiting_count__gt=0)
    assert full.count() >= 2
    assert not with_places(Session.objects.all()).filter(places_left__lt=0).exists()
    assert upcoming.filter(places_left__gt=0, places_taken__gt=0).exists()


def test_compliance_is_realistic_and_varies_by_area(seeded):
    course = Course.objects.get(title=demo.MANDATORY)
    trainees = list(Trainee.objects.filter(active=True).select_related("team__area"))
    standings = standings_for(trainees)
    rates = {}
    for area in Area.objects.all():
        mine = [
            s
            for t in trainees
            if t.team.area_id == area.pk
            for s in standings[t.pk]
            if s.course.pk == course.pk
        ]
        rates[area.name] = sum(s.standing.compliant for s in mine) / len(mine)
    assert all(0.5 <= rate <= 0.92 for rate in rates.values()), rates
    assert max(rates.values()) - min(rates.values()) >= 0.1, rates
    every = [s.standing for t in trainees for s in standings[t.pk]]
    assert 0.6 <= sum(s.compliant for s in every) / len(every) <= 0.85
    assert {Standing.OVERDUE, Standing.DUE_SOON, Standing.UNTRAINED} <= set(every)


def test_the_demo_logins_are_linked_to_the_officer_list(seeded):
    supervisor = User.objects.get(username="supervisor")
    officer = User.objects.get(username="officer")
    champion = User.objects.get(username="champion")
    assert trainee_of(officer).supervisor == trainee_of(supervisor)
    assert trainee_of(champion).supervisor == trainee_of(supervisor)
    team = list(team_of(supervisor))
    assert 6 <= len(team) <= 10
    standings = standings_for(team)
    untrained = [
        t
        for t in team
        if any(
            s.course.title == demo.MANDATORY and s.standing is Standing.UNTRAINED
            for s in standings[t.pk]
        )
    ]
    assert len(untrained) >= 3
    # The demo officer is booked on an upcoming session; three others are waiting to be booked.
    assert Booking.objects.filter(
        trainee=trainee_of(officer),
        status=Booking.Status.BOOKED,
        session__starts_at__gte=timezone.now(),
    ).exists()
    unbooked = [t for t in untrained if not t.bookings.filter(status="booked").exists()]
    assert len(unbooked) >= 3
    assert Champion.objects.filter(trainee=trainee_of(champion), stood_down_on=None).exists()
    assert Session.objects.filter(trainer__username="coordinator").count() >= 20


def test_champions_in_every_area_and_cpd_for_clinic_staff(seeded):
    for area in Area.objects.all():
        count = Champion.objects.filter(trainee__team__area=area).count()
        assert 2 <= count <= 4, area.name
    assert Champion.objects.filter(level=Champion.Level.ENHANCED).exists()
    for username in ("coordinator", "tactical_lead", "solicitor", "isac"):
        assert CPDEntry.objects.filter(user__username=username).count() >= 3
    assert not CPDEntry.objects.filter(done_on__gt=timezone.localdate()).exists()


def test_seeding_twice_changes_nothing(seeded):
    counts = _counts()
    supervisors = dict(Trainee.objects.values_list("pk", "supervisor_id"))
    demo.seed(_Command())
    assert _counts() == counts
    assert dict(Trainee.objects.values_list("pk", "supervisor_id")) == supervisors


def test_a_later_run_adds_only_the_future_sessions_come_into_range(seeded):
    past = Session.objects.filter(starts_at__lt=timezone.now()).count()
    sessions, bookings = Session.objects.count(), Booking.objects.count()
    later = timezone.now() + datetime.timedelta(days=21)
    with mock.patch("django.utils.timezone.now", return_value=later):
        demo.seed(_Command())
        added = Session.objects.count() - sessions
        assert 2 <= added <= 8
        assert (
            Session.objects.filter(
                starts_at__lt=timezone.now() - datetime.timedelta(days=21)
            ).count()
            == past
        )
        assert Booking.objects.count() > bookings
        assert not with_places(Session.objects.all()).filter(places_left__lt=0).exists()
        demo.seed(_Command())
        assert Session.objects.count() == sessions + added
