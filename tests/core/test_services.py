"""Writing an edit to a versioned row (stalking_clinic/services.py)."""

import pytest

from stalking_clinic.services import save_changes
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


# --- Refusals and stale saves -------------------------------------------------------------------


def test_a_stale_version_is_refused_naming_who_saved_first():
    from django.db import transaction

    from stalking_clinic.audit.models import AuditEvent
    from stalking_clinic.audit.services import record
    from stalking_clinic.services import ChangedByAnotherUser, locked

    from ..factories import UserFactory

    course = CourseFactory()
    colleague = UserFactory(first_name="Olive", last_name="Ames", roles=["coordinator"])
    record(actor=colleague, action=AuditEvent.Action.ALTERATION, obj=course)
    Course.objects.filter(pk=course.pk).update(version=2)

    with transaction.atomic(), pytest.raises(ChangedByAnotherUser) as refused:
        locked(course, 1, what="course")
    assert refused.value.by == colleague.display_name
    assert refused.value.message.startswith(f"{colleague.display_name} changed this course at ")
    assert "while you were editing it. Your changes were not saved" in refused.value.message
    with transaction.atomic():
        assert locked(course, 2, what="course").version == 2


def test_nobody_known_is_someone_else():
    from stalking_clinic.services import changed_message

    assert changed_message("action", (None, None), verb="updated").startswith(
        "Someone else updated this action while you were updating it."
    )


def test_saving_through_a_service_returns_what_it_returned(rf):
    from django import forms

    from stalking_clinic.service_forms import ServiceForm, save_through_service
    from stalking_clinic.services import ServiceError

    class TitleForm(ServiceForm):
        title = forms.CharField()
        confirm = forms.BooleanField(required=False)
        not_for_service = ("confirm",)

    def rename(*, course, title):
        if title == "no":
            raise ServiceError("Not that title.", field="title")
        if title == "anywhere":
            raise ServiceError("Refused as a whole.", field="unknown")
        return f"{course} is now {title}"

    saved = save_through_service(
        rf.post("/", {}), TitleForm({"title": "FOUR", "confirm": "on"}), rename, course="C1"
    )
    assert saved.saved and saved.result == "C1 is now FOUR"

    refused = save_through_service(rf.post("/", {}), TitleForm({"title": "no"}), rename, course=1)
    assert not refused.saved and refused.form.errors == {"title": ["Not that title."]}
    at_top = save_through_service(
        rf.post("/", {}), TitleForm({"title": "anywhere"}), rename, course=1
    )
    assert at_top.form.non_field_errors() == ["Refused as a whole."]
    shown = save_through_service(rf.get("/"), TitleForm(), rename, course=1)
    assert not shown.saved and not shown.form.is_bound


def test_a_value_outside_its_choices_is_refused_on_its_field():
    from meetings.models import Meeting
    from stalking_clinic.services import ServiceError, one_of

    assert one_of("held", Meeting.Status, "status", "Choose.") is Meeting.Status.HELD
    with pytest.raises(ServiceError) as refused:
        one_of("postponed", Meeting.Status, "status", "Choose the status of the meeting.")
    assert (refused.value.field, refused.value.message) == (
        "status",
        "Choose the status of the meeting.",
    )


def test_save_or_show_tells_and_redirects_once_saved_or_shows_the_page(rf):
    from django import forms
    from django.contrib.messages import get_messages
    from django.contrib.messages.storage.fallback import FallbackStorage
    from django.http import HttpResponse

    from stalking_clinic.service_forms import press_button, save_or_show
    from stalking_clinic.services import ServiceError

    from ..factories import UserFactory

    def post(data):
        request = rf.post("/", data)
        request.user = UserFactory()
        request.session = {}
        request._messages = FallbackStorage(request)
        return request

    class NameForm(forms.Form):
        name = forms.CharField()

    def rename(*, by, name):
        if name == "no":
            raise ServiceError("Not that name.", "name")
        return f"R-{name}"

    def page(form):
        return HttpResponse(str(form.errors.get("name", "")))

    request = post({"name": "x"})
    response = save_or_show(
        request,
        NameForm(request.POST),
        rename,
        done=lambda ref: f"{ref} saved.",
        then=lambda ref: f"/done/{ref}/",
        page=page,
    )
    assert response.status_code == 302 and response["Location"] == "/done/R-x/"
    assert [str(m) for m in get_messages(request)] == ["R-x saved."]

    request = post({"name": "no"})
    shown = save_or_show(request, NameForm(request.POST), rename, done="", then="/", page=page)
    assert shown.status_code == 200 and "Not that name." in shown.content.decode()

    request = post({})
    assert press_button(request, rename, name="no") is False
    assert [str(m) for m in get_messages(request)] == ["Not that name."]
