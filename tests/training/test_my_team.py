"""A supervisor's team (training:my_team): who is untrained or due a refresh, with links to
book them and their upcoming bookings."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from stalking_clinic.accounts.models import Role
from training.models import Booking, Session
from training.selectors.compliance import Standing

from .factories import (
    BookingFactory,
    CourseFactory,
    JobRoleFactory,
    SessionFactory,
    TeamFactory,
    TraineeFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def squad(make_user):
    """Sergeant SGT1 (signing in as a supervisor) and three constables; two mandatory courses."""
    team = TeamFactory(name="Response 1")
    pc = JobRoleFactory(name="Police constable")
    stalking = CourseFactory(title="Stalking and harassment", mandatory_roles=[pc])
    four = CourseFactory(title="FOUR awareness", refresh_months=None, mandatory_teams=[team])
    sergeant = TraineeFactory(collar_number="SGT1", team=team, job_role=pc)
    members = [
        TraineeFactory(name=name, team=team, job_role=pc, supervisor=sergeant)
        for name in ("Amy Able", "Ben Baker", "Cat Cole")
    ]
    return {
        "user": make_user(Role.SUPERVISOR, collar_number="SGT1"),
        "sergeant": sergeant,
        "members": members,
        "team": team,
        "pc": pc,
        "stalking": stalking,
        "four": four,
    }


def _attended(trainee, course, days_ago=30):
    session = SessionFactory(
        course=course, starts_at=timezone.now() - datetime.timedelta(days=days_ago)
    )
    return BookingFactory(session=session, trainee=trainee, status=Booking.Status.ATTENDED)


def _page(client, **params):
    response = client.get(reverse("training:my_team"), params)
    assert response.status_code == 200
    return response


@pytest.mark.parametrize(
    ("role", "status"),
    [
        (Role.SUPERVISOR, 200),
        (Role.COORDINATOR, 200),
        (Role.TACTICAL_LEAD, 200),
        (Role.OFFICER, 403),
        (Role.CHAMPION, 403),
        (Role.SOLICITOR, 403),
        (None, 403),
    ],
)
def test_my_team_is_for_those_who_book(client, make_user, role, status):
    client.force_login(make_user(*([role] if role else [])))

    assert client.get(reverse("training:my_team")).status_code == status


def test_the_team_shows_each_officers_standing_and_what_needs_booking(client, squad):
    amy, ben, _ = squad["members"]
    stalking, four = squad["stalking"], squad["four"]
    _attended(amy, stalking)
    _attended(amy, four)
    _attended(ben, stalking, days_ago=700)  # refresh due within the warning period
    TraineeFactory(team=squad["team"], supervisor=squad["sergeant"], active=False, name="Gone")
    TraineeFactory(team=squad["team"], name="Someone else's")
    client.force_login(squad["user"])

    response = _page(client)

    rows = response.context["rows"]
    assert [row["trainee"].name for row in rows] == ["Ben Baker", "Cat Cole", "Amy Able"]
    standings = {
        row["trainee"].name: [cell["standing"].standing for cell in row["cells"]] for row in rows
    }
    # Columns in course title order: FOUR awareness, then Stalking and harassment.
    assert [course.title for course in response.context["courses"]] == [
        "FOUR awareness",
        "Stalking and harassment",
    ]
    assert standings == {
        "Amy Able": [Standing.COMPLETED, Standing.COMPLETED],
        "Ben Baker": [Standing.UNTRAINED, Standing.DUE_SOON],
        "Cat Cole": [Standing.UNTRAINED, Standing.UNTRAINED],
    }
    html = response.content.decode()
    assert "2 officers untrained</strong> in FOUR awareness" in html
    assert "1 officer untrained</strong> in Stalking and harassment" in html
    assert "1 officer due a refresh</strong> of Stalking and harassment" in html
    assert "2 officers need booking onto a session." in html
    sessions = reverse("training:sessions")
    assert f'href="{sessions}?course={stalking.pk}"' in html
    assert f'href="{sessions}?course={four.pk}"' in html
    assert "Gone" not in html and "Someone else" not in html


def test_an_upcoming_booking_is_shown_instead_of_a_booking_link(client, squad):
    amy, ben, cat = squad["members"]
    stalking = squad["stalking"]
    starts = (timezone.now() + datetime.timedelta(days=20)).replace(hour=9, minute=30)
    session = SessionFactory(course=stalking, starts_at=starts)
    BookingFactory(session=session, trainee=amy)
    BookingFactory(session=session, trainee=ben, status=Booking.Status.WAITING, placed_at=None)
    cancelled = SessionFactory(course=stalking, status=Session.Status.CANCELLED)
    BookingFactory(session=cancelled, trainee=cat)
    client.force_login(squad["user"])

    response = _page(client)

    cells = {
        row["trainee"].name: next(c for c in row["cells"] if c["course"] == stalking)
        for row in response.context["rows"]
    }
    assert cells["Amy Able"]["booking"].status == Booking.Status.BOOKED
    assert not cells["Amy Able"]["needs_booking"]
    assert cells["Ben Baker"]["booking"].status == Booking.Status.WAITING
    assert cells["Cat Cole"]["booking"] is None and cells["Cat Cole"]["needs_booking"]
    html = response.content.decode()
    day = timezone.localtime(starts).strftime("%-d %b %Y")
    assert f"Booked: {day}" in html
    assert f"Waiting list: {day}" in html


def test_the_team_can_be_narrowed_to_those_who_need_booking(client, squad):
    amy = squad["members"][0]
    _attended(amy, squad["stalking"])
    _attended(amy, squad["four"])
    client.force_login(squad["user"])

    response = _page(client, show="needs_booking")

    assert [row["trainee"].name for row in response.context["rows"]] == [
        "Ben Baker",
        "Cat Cole",
    ]


def test_a_supervisor_without_a_trainee_record_is_told_why(client, make_user):
    client.force_login(make_user(Role.SUPERVISOR, collar_number="SGT404"))

    html = _page(client).content.decode()

    assert 'data-testid="no-trainee-record"' in html
    assert "SGT404" in html and "collar number" in html


def test_a_supervisor_with_nobody_reporting_is_told_why(client, make_user):
    TraineeFactory(collar_number="SGT7")
    client.force_login(make_user(Role.SUPERVISOR, collar_number="SGT7"))

    html = _page(client).content.decode()

    assert 'data-testid="no-team"' in html
    assert "names you (SGT7) as their supervisor" in html


def _queries(client):
    with CaptureQueriesContext(connection) as queries:
        _page(client)
    return len(queries.captured_queries)


def test_the_team_page_runs_the_same_queries_however_big_the_team(client, squad):
    client.force_login(squad["user"])
    upcoming = SessionFactory(course=squad["stalking"])

    def grow(to):
        while len(squad["members"]) < to:
            n = len(squad["members"])
            member = TraineeFactory(
                team=squad["team"], job_role=squad["pc"], supervisor=squad["sergeant"]
            )
            if n % 3 == 0:
                _attended(member, squad["four"], days_ago=10 + n)
            if n % 3 == 1:
                BookingFactory(session=upcoming, trainee=member)
            squad["members"].append(member)

    grow(3)
    small = _queries(client)
    grow(30)
    large = _queries(client)

    assert len(_page(client).context["rows"]) == 30
    assert small == large
