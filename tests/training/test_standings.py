"""Who counts as trained on a mandatory course (training/selectors/compliance.py)."""

import datetime

import pytest
from django.utils import timezone

from training.models import Booking
from training.selectors.compliance import Standing, add_months, mandatory_courses, standings_for

from .factories import (
    BookingFactory,
    CourseFactory,
    JobRoleFactory,
    SessionFactory,
    TeamFactory,
    TraineeFactory,
)

TODAY = datetime.date(2026, 11, 25)


def _attended(trainee, course, on: datetime.date):
    starts = timezone.make_aware(datetime.datetime.combine(on, datetime.time(10, 0)))
    session = SessionFactory(course=course, starts_at=starts)
    return BookingFactory(session=session, trainee=trainee, status=Booking.Status.ATTENDED)


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (datetime.date(2026, 1, 15), 24, datetime.date(2028, 1, 15)),
        (datetime.date(2025, 8, 31), 6, datetime.date(2026, 2, 28)),
        (datetime.date(2027, 8, 31), 6, datetime.date(2028, 2, 29)),
        (datetime.date(2026, 11, 30), 3, datetime.date(2027, 2, 28)),
        (datetime.date(2026, 12, 1), 1, datetime.date(2027, 1, 1)),
    ],
)
def test_add_months_keeps_the_day_or_takes_the_month_end(day, months, expected):
    assert add_months(day, months) == expected


@pytest.mark.django_db
def test_each_standing_follows_the_last_attendance_and_the_refresh_interval(settings):
    settings.TRAINING_REFRESH_WARNING_DAYS = 60
    constable = JobRoleFactory(name="Police constable")
    course = CourseFactory(refresh_months=24, mandatory_roles=[constable])
    completed, due_soon, overdue, untrained = (TraineeFactory(job_role=constable) for _ in range(4))
    _attended(completed, course, datetime.date(2026, 3, 1))
    _attended(due_soon, course, datetime.date(2025, 1, 10))  # refresh due 10 January 2027
    _attended(overdue, course, datetime.date(2023, 6, 1))
    _attended(overdue, course, datetime.date(2024, 10, 1))  # the last one counts: due 1 Oct 2026

    standings = standings_for([completed, due_soon, overdue, untrained], today=TODAY)

    def only(trainee):
        (standing,) = standings[trainee.pk]
        return standing

    assert only(completed).standing is Standing.COMPLETED
    assert only(completed).refresh_due_on == datetime.date(2028, 3, 1)
    assert only(due_soon).standing is Standing.DUE_SOON and only(due_soon).standing.compliant
    assert only(overdue).standing is Standing.OVERDUE and not only(overdue).standing.compliant
    assert only(overdue).last_attended == datetime.date(2024, 10, 1)
    assert only(untrained).standing is Standing.UNTRAINED and only(untrained).last_attended is None


@pytest.mark.django_db
def test_a_booking_not_attended_does_not_count():
    course = CourseFactory(mandatory_roles=[JobRoleFactory()])
    trainee = TraineeFactory()
    for status in (Booking.Status.BOOKED, Booking.Status.ABSENT, Booking.Status.CANCELLED):
        BookingFactory(trainee=trainee, session=SessionFactory(course=course), status=status)

    (standing,) = standings_for([trainee], today=TODAY)[trainee.pk]
    assert standing.standing is Standing.UNTRAINED


@pytest.mark.django_db
def test_a_course_without_refresh_stays_completed():
    course = CourseFactory(refresh_months=None, mandatory_roles=[JobRoleFactory()])
    trainee = TraineeFactory()
    _attended(trainee, course, datetime.date(2015, 5, 5))

    (standing,) = standings_for([trainee], today=TODAY)[trainee.pk]
    assert standing.standing is Standing.COMPLETED and standing.refresh_due_on is None


@pytest.mark.django_db
def test_courses_are_mandatory_by_role_or_by_team_and_inactive_courses_are_not():
    call_handler = JobRoleFactory(name="Call handler")
    constable = JobRoleFactory(name="Police constable")
    control_room = TeamFactory(name="Control room")
    four = CourseFactory(title="FOUR awareness", mandatory_roles=[call_handler])
    by_team = CourseFactory(title="Control room induction", mandatory_teams=[control_room])
    CourseFactory(title="Retired course", mandatory_roles=[constable], active=False)
    CourseFactory(title="Advanced, optional")

    handler = TraineeFactory(job_role=call_handler, team=control_room)
    constable_in_control_room = TraineeFactory(job_role=constable, team=control_room)
    constable_elsewhere = TraineeFactory(job_role=constable)

    assert [course.title for course in mandatory_courses()] == [
        "Control room induction",
        "FOUR awareness",
    ]
    standings = standings_for(
        [handler, constable_in_control_room, constable_elsewhere], today=TODAY
    )
    assert [s.course for s in standings[handler.pk]] == [by_team, four]
    assert [s.course for s in standings[constable_in_control_room.pk]] == [by_team]
    assert standings[constable_elsewhere.pk] == []


@pytest.mark.django_db
def test_standings_take_the_same_queries_for_three_or_thirty_trainees(
    django_assert_num_queries,
):
    role = JobRoleFactory()
    courses = [CourseFactory(mandatory_roles=[role]) for _ in range(3)]

    def measure(count):
        trainees = [TraineeFactory(job_role=role) for _ in range(count)]
        for trainee in trainees[::2]:
            _attended(trainee, courses[0], datetime.date(2026, 1, 1))
        with django_assert_num_queries(4):
            standings_for(trainees, today=TODAY)

    measure(3)
    measure(30)
