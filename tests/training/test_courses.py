"""Courses: adding and changing them (training/services/courses.py) and the catalogue pages."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from stalking_clinic.accounts.models import Role
from stalking_clinic.audit.models import AuditEvent
from stalking_clinic.services import ChangedByAnotherUser, ServiceError
from training.models import Course
from training.services.courses import course_create, course_update

from .factories import (
    AreaFactory,
    BookingFactory,
    CourseFactory,
    JobRoleFactory,
    SessionFactory,
    TeamFactory,
)

pytestmark = pytest.mark.django_db


def _course_args(**overrides):
    args = {
        "title": "Stalking awareness",
        "kind": Course.Kind.AWARENESS,
        "audience": "Call handlers",
        "duration_minutes": 90,
        "refresh_months": None,
    }
    args.update(overrides)
    return args


def _refused(call, **kwargs) -> ServiceError:
    with pytest.raises(ServiceError) as caught:
        call(**kwargs)
    return caught.value


# --- services ----------------------------------------------------------------------------------


def test_course_create_records_who_it_is_mandatory_for(coordinator):
    role = JobRoleFactory(name="Call handler")
    team = TeamFactory()
    course = course_create(
        by=coordinator, mandatory_roles=[role], mandatory_teams=[team], **_course_args()
    )
    assert list(course.mandatory_roles.all()) == [role]
    assert list(course.mandatory_teams.all()) == [team]
    assert course.refresh_months is None
    event = AuditEvent.objects.get(object_type="training.course", object_id=str(course.pk))
    assert event.action == AuditEvent.Action.COLLECTION
    # The audit log names the course as a course (it once said "CPD entry").
    assert event.object_label == f"Course {course.title}"


def test_course_title_must_be_unique_whatever_its_case(coordinator):
    CourseFactory(title="Stalking awareness")
    error = _refused(course_create, by=coordinator, **_course_args(title="stalking AWARENESS"))
    assert error.field == "title"
    assert "already a course called" in error.message


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"title": "  "}, "title"),
        ({"audience": ""}, "audience"),
        ({"kind": "nonsense"}, "kind"),
        ({"duration_minutes": 0}, "duration_minutes"),
        ({"refresh_months": 0}, "refresh_months"),
    ],
)
def test_course_create_refuses_bad_input_on_its_field(coordinator, overrides, field):
    error = _refused(course_create, by=coordinator, **_course_args(**overrides))
    assert error.field == field
    assert not Course.objects.exists()


def test_course_update_changes_the_course_and_its_mandatory_teams(coordinator):
    north, south = TeamFactory(), TeamFactory()
    course = CourseFactory(mandatory_teams=[north])
    updated = course_update(
        course=course,
        by=coordinator,
        version=course.version,
        mandatory_teams=[south],
        **_course_args(refresh_months=12),
    )
    assert updated.version == course.version + 1
    assert list(updated.mandatory_teams.all()) == [south]
    assert updated.refresh_months == 12
    event = AuditEvent.objects.get(object_type="training.course", action="alteration")
    assert "mandatory_teams" in event.changed_fields and "title" in event.changed_fields


def test_course_update_with_only_new_teams_moves_the_version_on(coordinator):
    course = CourseFactory(**_course_args())
    updated = course_update(
        course=course,
        by=coordinator,
        version=1,
        mandatory_teams=[TeamFactory()],
        **_course_args(),
    )
    assert updated.version == 2


def test_course_update_keeps_its_own_title(coordinator):
    course = CourseFactory(**_course_args())
    course_update(course=course, by=coordinator, version=1, **_course_args(audience="Everyone"))
    course.refresh_from_db()
    assert course.audience == "Everyone"


def test_course_update_refuses_a_stale_version(coordinator):
    course = CourseFactory(**_course_args())
    course_update(course=course, by=coordinator, version=1, **_course_args(audience="Everyone"))
    with pytest.raises(ChangedByAnotherUser):
        course_update(course=course, by=coordinator, version=1, **_course_args(audience="Staff"))
    course.refresh_from_db()
    assert course.audience == "Everyone"


def test_course_update_refuses_another_courses_title(coordinator):
    CourseFactory(title="Taken")
    course = CourseFactory(**_course_args())
    error = _refused(
        course_update, course=course, by=coordinator, version=1, **_course_args(title="Taken")
    )
    assert error.field == "title"


# --- pages -------------------------------------------------------------------------------------


def test_every_training_user_sees_the_catalogue(client, officer):
    CourseFactory(title="FOUR awareness", mandatory_roles=[JobRoleFactory(name="PCSO")])
    client.force_login(officer)
    response = client.get(reverse("training:courses"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "FOUR awareness" in page and "PCSO" in page
    assert "Add a course" not in page


def test_manager_sees_the_add_button_and_the_courses_no_longer_run(client, coordinator):
    CourseFactory(title="Old course", active=False)
    client.force_login(coordinator)
    page = client.get(reverse("training:courses")).content.decode()
    assert "Add a course" in page
    assert "Old course" in page and "No longer run" in page


def test_officer_does_not_see_courses_no_longer_run(client, officer):
    CourseFactory(title="Old course", active=False)
    client.force_login(officer)
    assert "Old course" not in client.get(reverse("training:courses")).content.decode()


def test_catalogue_counts_upcoming_sessions(client, officer):
    course = CourseFactory()
    SessionFactory.create_batch(2, course=course)
    SessionFactory(course=course, status="cancelled", cancelled_reason="x")
    client.force_login(officer)
    response = client.get(reverse("training:courses"))
    row = next(c for c in response.context["courses"] if c.pk == course.pk)
    assert row.upcoming_sessions == 2


def _courses(n):
    teams = TeamFactory.create_batch(3)
    role = JobRoleFactory()
    for _ in range(n):
        course = CourseFactory(mandatory_teams=teams, mandatory_roles=[role])
        SessionFactory(course=course)


def test_catalogue_queries_do_not_grow_with_courses(client, coordinator, django_assert_num_queries):
    client.force_login(coordinator)
    _courses(3)
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("training:courses"))
    _courses(17)
    with django_assert_num_queries(len(few.captured_queries)):
        response = client.get(reverse("training:courses"))
    assert len(response.context["courses"]) == 20


def test_outsider_may_not_see_the_catalogue(client, outsider):
    client.force_login(outsider)
    assert client.get(reverse("training:courses")).status_code == 403


def test_officer_may_not_add_a_course(client, officer):
    client.force_login(officer)
    assert client.get(reverse("training:course_new")).status_code == 403
    assert client.post(reverse("training:course_new"), {"title": "x"}).status_code == 403


@pytest.mark.parametrize("role", [Role.SUPERVISOR, Role.SOLICITOR])
def test_read_only_roles_may_not_change_a_course(client, make_user, role):
    course = CourseFactory()
    client.force_login(make_user(role))
    assert client.get(reverse("training:course_edit", args=[course.pk])).status_code == 403
    assert client.get(reverse("training:course_detail", args=[course.pk])).status_code == 200


def test_outsider_may_not_see_a_course(client, outsider):
    course = CourseFactory()
    client.force_login(outsider)
    assert client.get(reverse("training:course_detail", args=[course.pk])).status_code == 403


def test_coordinator_adds_a_course_with_teams_grouped_by_area(client, coordinator):
    north, south = AreaFactory(name="North"), AreaFactory(name="South")
    team_n = TeamFactory(area=north, name="Response 1")
    TeamFactory(area=south, name="Response 2")
    role = JobRoleFactory(name="Police constable")
    client.force_login(coordinator)
    page = client.get(reverse("training:course_new")).content.decode()
    assert "Teams in North" in page and "Teams in South" in page
    response = client.post(
        reverse("training:course_new"),
        {
            "title": "Stalking and harassment",
            "kind": "mandatory",
            "audience": "Response officers",
            "duration_minutes": "180",
            "refresh_months": "",
            "mandatory_roles": [str(role.pk)],
            f"teams_{north.pk}": [str(team_n.pk)],
        },
    )
    course = Course.objects.get(title="Stalking and harassment")
    assert response.status_code == 302
    assert response["Location"] == reverse("training:course_detail", args=[course.pk])
    assert list(course.mandatory_teams.all()) == [team_n]
    assert list(course.mandatory_roles.all()) == [role]
    assert course.refresh_months is None


def test_a_taken_title_is_shown_next_to_the_title(client, coordinator):
    CourseFactory(title="Taken")
    client.force_login(coordinator)
    response = client.post(
        reverse("training:course_new"),
        {"title": "taken", "kind": "mandatory", "audience": "All", "duration_minutes": "60"},
    )
    assert response.status_code == 200
    assert "already a course called" in response.context["form"].errors["title"][0]


def test_course_edit_shows_the_chosen_teams_and_saves(client, coordinator):
    team = TeamFactory()
    course = CourseFactory(mandatory_teams=[team], **_course_args())
    client.force_login(coordinator)
    response = client.get(reverse("training:course_edit", args=[course.pk]))
    assert response.context["form"].initial[f"teams_{team.area_id}"] == [str(team.pk)]
    data = {
        "title": course.title,
        "kind": course.kind,
        "audience": "Everyone",
        "duration_minutes": "60",
        "refresh_months": "36",
        "active": "on",
        "version": "1",
    }
    response = client.post(reverse("training:course_edit", args=[course.pk]), data)
    assert response.status_code == 302
    course.refresh_from_db()
    assert (course.audience, course.refresh_months, course.version) == ("Everyone", 36, 2)
    assert not course.mandatory_teams.exists()


def test_course_edit_with_a_stale_version_keeps_the_input(client, coordinator):
    course = CourseFactory(**_course_args())
    Course.objects.filter(pk=course.pk).update(version=2)
    client.force_login(coordinator)
    data = {
        "title": course.title,
        "kind": course.kind,
        "audience": "Mine",
        "duration_minutes": "60",
        "version": "1",
    }
    response = client.post(reverse("training:course_edit", args=[course.pk]), data)
    assert response.status_code == 200
    assert "Someone else changed this course" in response.content.decode()
    assert response.context["form"]["version"].value() == "2"
    assert response.context["form"]["audience"].value() == "Mine"


def test_course_page_shows_upcoming_sessions_and_past_attendance(client, officer):
    course = CourseFactory(mandatory_roles=[JobRoleFactory(name="PCSO")])
    upcoming = SessionFactory(course=course, capacity=12)
    BookingFactory.create_batch(2, session=upcoming)
    past = SessionFactory(course=course, starts_at=timezone.now() - datetime.timedelta(days=30))
    BookingFactory.create_batch(3, session=past, status="attended")
    BookingFactory(session=past, status="absent")
    SessionFactory(course=course, starts_at=timezone.now() - datetime.timedelta(days=400))
    client.force_login(officer)
    response = client.get(reverse("training:course_detail", args=[course.pk]))
    assert [s.pk for s in response.context["upcoming"]] == [upcoming.pk]
    assert [(s.pk, s.attended) for s in response.context["past"]] == [(past.pk, 3)]
    page = response.content.decode()
    assert "10 of 12 left" in page and "PCSO" in page
