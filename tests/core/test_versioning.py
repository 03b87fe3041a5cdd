"""Writing an edit to a versioned row (stalking_clinic/versioning.py)."""

import pytest

from stalking_clinic.versioning import save_changes
from training.models import Course

from ..training.factories import CourseFactory, JobRoleFactory

pytestmark = pytest.mark.django_db


def test_only_changed_fields_are_written_and_the_version_moves_on():
    course = CourseFactory(title="FOUR awareness", duration_minutes=60)

    changed = save_changes(course, {"title": "FOUR awareness", "duration_minutes": 90})

    assert changed == ["duration_minutes"]
    assert course.version == 2 and course.duration_minutes == 90
    assert Course.objects.get(pk=course.pk).version == 2


def test_nothing_changed_writes_nothing(django_assert_num_queries):
    course = CourseFactory(title="FOUR awareness")

    with django_assert_num_queries(0):
        assert save_changes(course, {"title": "FOUR awareness"}) == []
    assert Course.objects.get(pk=course.pk).version == 1


def test_a_change_made_elsewhere_moves_the_version_and_is_named():
    course = CourseFactory()
    course.mandatory_roles.set([JobRoleFactory()])

    assert save_changes(course, {"title": course.title}, also=["mandatory_roles"]) == [
        "mandatory_roles"
    ]
    assert Course.objects.get(pk=course.pk).version == 2


def test_foreign_keys_are_named_without_id():
    from ..factories import UserFactory
    from ..training.factories import SessionFactory

    session = SessionFactory()
    other = UserFactory(roles=["tactical_lead"])

    assert save_changes(session, {"trainer_id": other.pk}) == ["trainer"]
    assert session.trainer == other
