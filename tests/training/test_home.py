"""The training front page, different per role, and what training puts on the home page."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from stalking_clinic.accounts.models import Role
from stalking_clinic.home.work import work_for
from training import work
from training.models import Booking, Session

from .factories import (
    BookingFactory,
    CourseFactory,
    JobRoleFactory,
    SessionFactory,
    TraineeFactory,
)

pytestmark = pytest.mark.django_db

HOUR = datetime.timedelta(hours=1)
DAY = datetime.timedelta(days=1)


def _in(delta):
    return timezone.now() + delta


@pytest.fixture
def constable():
    return JobRoleFactory(name="Police constable")


@pytest.fixture
def mandatory(constable):
    return CourseFactory(title="Stalking and harassment (mandatory)", mandatory_roles=[constable])


@pytest.fixture
def sergeant(make_user, constable):
    """A supervisor signed in, with a team of four: one trained, three not."""
    user = make_user(Role.SUPERVISOR, Role.OFFICER, username="sarge", collar_number="PS100")
    me = TraineeFactory(collar_number="PS100", name="Sam Sergeant", job_role=constable)
    team = [TraineeFactory(supervisor=me, team=me.team, job_role=constable) for _ in range(4)]
    TraineeFactory(supervisor=me, active=False)  # left the force: not counted
    user.team = team
    return user


@pytest.fixture
def constable_user(make_user, constable):
    user = make_user(Role.OFFICER, username="pc", collar_number="PC200")
    user.trainee = TraineeFactory(collar_number="PC200", name="Pat Constable", job_role=constable)
    return user


def _attend(trainee, course, days_ago=30):
    session = SessionFactory(course=course, starts_at=_in(-days_ago * DAY))
    BookingFactory(session=session, trainee=trainee, status=Booking.Status.ATTENDED)


# The front page ---------------------------------------------------------------------------


def test_an_officer_sees_their_next_bookings(client, constable_user, mandatory):
    soon = SessionFactory(course=mandatory, starts_at=_in(3 * DAY), venue="Northgate station")
    BookingFactory(session=soon, trainee=constable_user.trainee)
    past = SessionFactory(course=CourseFactory(title="Long ago"), starts_at=_in(-3 * DAY))
    BookingFactory(session=past, trainee=constable_user.trainee)
    client.force_login(constable_user)

    page = client.get(reverse("training:index")).content.decode()

    bookings = page[page.index('data-testid="next-bookings"') :]
    assert "Stalking and harassment (mandatory)" in bookings and "Northgate station" in bookings
    assert "Long ago" not in page
    assert reverse("training:my_training") in page
    assert reverse("training:cpd") not in page  # officers keep no CPD log here
    assert "Sessions in the next 7 days" not in page


def test_an_officer_with_no_bookings_is_told_who_books(client, constable_user):
    client.force_login(constable_user)
    page = client.get(reverse("training:index")).content.decode()
    assert "Your supervisor books you" in page


def test_a_supervisor_sees_how_many_of_their_team_need_booking(client, sergeant, mandatory):
    _attend(sergeant.team[0], mandatory)
    client.force_login(sergeant)
    page = client.get(reverse("training:index")).content.decode()
    team = page[page.index('data-testid="team-needing"') :]
    assert "3 of 4" in team
    assert reverse("training:my_team") in page


def test_managers_see_this_weeks_sessions_with_places_and_attendance_to_record(
    client, coordinator, mandatory
):
    this_week = SessionFactory(course=mandatory, starts_at=_in(2 * DAY), capacity=10)
    BookingFactory.create_batch(3, session=this_week)
    full = SessionFactory(
        course=CourseFactory(title="FOUR awareness"), starts_at=_in(DAY), capacity=1
    )
    BookingFactory(session=full)
    BookingFactory(session=full, status=Booking.Status.WAITING, placed_at=None)
    SessionFactory(course=CourseFactory(title="Next month"), starts_at=_in(20 * DAY))
    held = SessionFactory(course=CourseFactory(title="Held on Monday"), starts_at=_in(-2 * DAY))
    BookingFactory(session=held)
    recorded = SessionFactory(course=CourseFactory(title="All recorded"), starts_at=_in(-DAY))
    BookingFactory(session=recorded, status=Booking.Status.ATTENDED)
    client.force_login(coordinator)

    page = client.get(reverse("training:index")).content.decode()

    week = page[
        page.index('data-testid="this-week"') : page.index(
            "</table>", page.index('data-testid="this-week"')
        )
    ]
    assert "7 of 10" in week and "Full" in week and "1 waiting" in week
    assert "Next month" not in week
    awaiting = page[page.index('data-testid="awaiting-attendance"') :]
    assert "Held on Monday" in awaiting and "All recorded" not in awaiting
    assert reverse("training:attendance", args=[held.pk]) in awaiting
    links = page[page.index('data-testid="training-links"') :]
    for name in ("officer_import", "compliance", "courses", "cpd", "champions"):
        assert reverse(f"training:{name}") in links, name


def test_clinic_staff_get_a_link_to_their_cpd_log(client, make_user):
    client.force_login(make_user(Role.ISAC))
    page = client.get(reverse("training:index")).content.decode()
    assert reverse("training:cpd") in page
    assert "Sessions in the next 7 days" not in page
    assert reverse("training:officer_import") not in page


def test_a_trainer_sees_their_own_sessions_awaiting_attendance(client, make_user, mandatory):
    trainer = make_user(Role.ISAC, username="trainer")
    mine = SessionFactory(course=mandatory, trainer=trainer, starts_at=_in(-2 * DAY))
    BookingFactory(session=mine)
    other = SessionFactory(course=CourseFactory(title="Someone else's"), starts_at=_in(-DAY))
    BookingFactory(session=other)
    client.force_login(trainer)
    page = client.get(reverse("training:index")).content.decode()
    awaiting = page[page.index('data-testid="awaiting-attendance"') :]
    assert mandatory.title in awaiting and "Someone else's" not in awaiting


@pytest.mark.parametrize("role", [Role.PARTNER, Role.ADMINISTRATOR, None])
def test_people_outside_training_cannot_use_the_front_page(client, make_user, role):
    client.force_login(make_user(*([role] if role else [])))
    assert client.get(reverse("training:index")).status_code == 403


def test_the_front_page_runs_the_same_queries_however_much_there_is(client, coordinator, mandatory):
    client.force_login(coordinator)

    def add(count):
        for n in range(count):
            course = CourseFactory()
            upcoming = SessionFactory(course=course, starts_at=_in(DAY + n * HOUR))
            BookingFactory(session=upcoming)
            held = SessionFactory(course=course, starts_at=_in(-DAY - n * HOUR))
            BookingFactory(session=held)

    add(1)
    client.get(reverse("training:index"))
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("training:index"))
    add(8)
    with CaptureQueriesContext(connection) as many:
        client.get(reverse("training:index"))
    assert len(many) == len(few) <= 8


def test_a_supervisors_front_page_queries_do_not_grow_with_the_team(
    client, sergeant, mandatory, constable
):
    client.force_login(sergeant)
    client.get(reverse("training:index"))
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("training:index"))
    me = sergeant.team[0].supervisor
    for _ in range(10):
        _attend(TraineeFactory(supervisor=me, job_role=constable), mandatory)
    with CaptureQueriesContext(connection) as many:
        page = client.get(reverse("training:index")).content.decode()
    assert "4 of 14" in page
    assert len(many) == len(few)


# Home page work items ------------------------------------------------------------------------


def _items(user):
    return {item.label: item for item in work_for(user)}


def test_a_supervisor_is_told_how_many_of_their_team_need_training(
    sergeant, mandatory, django_assert_max_num_queries
):
    _attend(sergeant.team[0], mandatory)
    _attend(sergeant.team[1], mandatory, days_ago=800)  # refresh overdue: needs booking again
    with django_assert_max_num_queries(5):
        items = list(work.team_work(sergeant))
    assert [(i.label, i.count, i.url) for i in items] == [
        ("Officers in your team needing training", 3, reverse("training:my_team"))
    ]
    assert "Officers in your team needing training" in _items(sergeant)


def test_managers_are_told_of_sessions_awaiting_attendance(
    coordinator, mandatory, django_assert_num_queries
):
    recent = SessionFactory(course=mandatory, starts_at=_in(-2 * DAY))
    BookingFactory(session=recent)
    BookingFactory(session=recent, status=Booking.Status.ATTENDED)
    done = SessionFactory(course=mandatory, starts_at=_in(-3 * DAY))
    BookingFactory(session=done, status=Booking.Status.ATTENDED)
    cancelled = SessionFactory(course=mandatory, starts_at=_in(-3 * DAY))
    BookingFactory(session=cancelled)
    Session.objects.filter(pk=cancelled.pk).update(status=Session.Status.CANCELLED)
    too_old = SessionFactory(course=mandatory, starts_at=_in(-40 * DAY))
    BookingFactory(session=too_old)
    SessionFactory(course=mandatory, starts_at=_in(DAY))  # not started yet

    with django_assert_num_queries(1):
        (item,) = work.attendance_work(coordinator)
    assert (item.label, item.count, item.urgent) == (
        "Training sessions awaiting attendance",
        1,
        False,
    )
    assert item.url == reverse("training:sessions")

    week_old = SessionFactory(course=mandatory, starts_at=_in(-9 * DAY))
    BookingFactory(session=week_old)
    (item,) = work.attendance_work(coordinator)
    assert item.count == 2 and item.urgent and item.hint == "1 more than a week old."


def test_a_trainer_is_told_of_their_own_sessions_awaiting_attendance(make_user, mandatory):
    trainer = make_user(Role.ISAC, username="trainer")
    mine = SessionFactory(course=mandatory, trainer=trainer, starts_at=_in(-DAY))
    BookingFactory(session=mine)
    BookingFactory(session=SessionFactory(course=mandatory, starts_at=_in(-DAY)))
    (item,) = work.attendance_work(trainer)
    assert (item.label, item.count) == ("Your training sessions awaiting attendance", 1)


def test_an_officer_is_told_how_many_sessions_they_are_booked_on(
    constable_user, mandatory, django_assert_num_queries
):
    BookingFactory(session=SessionFactory(course=mandatory), trainee=constable_user.trainee)
    BookingFactory(
        session=SessionFactory(course=CourseFactory(), starts_at=_in(5 * DAY)),
        trainee=constable_user.trainee,
        status=Booking.Status.WAITING,
        placed_at=None,
    )
    BookingFactory(
        session=SessionFactory(course=CourseFactory(), starts_at=_in(-5 * DAY)),
        trainee=constable_user.trainee,
    )
    with django_assert_num_queries(1):
        (item,) = work.bookings_work(constable_user)
    assert (item.label, item.count, item.url) == (
        "Training sessions booked",
        1,
        reverse("training:my_training"),
    )
    assert item.hint == "Also on 1 waiting list."


@pytest.mark.parametrize("role", [Role.PARTNER, Role.ADMINISTRATOR, None])
def test_people_outside_training_get_no_training_work_and_no_queries(
    make_user, role, django_assert_num_queries
):
    user = make_user(*([role] if role else []), collar_number="PC999")
    with django_assert_num_queries(0):
        assert list(work.team_work(user)) == []
        assert list(work.attendance_work(user)) == []
        assert list(work.bookings_work(user)) == []


def test_officers_without_a_collar_number_get_no_team_or_booking_queries(
    officer, django_assert_num_queries
):
    with django_assert_num_queries(0):
        assert list(work.team_work(officer)) == []
        assert list(work.bookings_work(officer)) == []
