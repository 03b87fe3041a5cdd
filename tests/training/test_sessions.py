"""Sessions: scheduling, changing and cancelling them (training/services/courses.py) and the
programme pages."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from stalking_clinic.accounts.models import Role
from stalking_clinic.audit.models import AuditEvent
from stalking_clinic.services import ChangedByAnotherUser, ServiceError
from training.models import Booking, Session
from training.services.courses import session_cancel, session_create, session_update

from ..factories import UserFactory
from .factories import BookingFactory, CourseFactory, SessionFactory, TraineeFactory

pytestmark = pytest.mark.django_db


def _soon(days=10, hour=9, minute=30):
    return (timezone.localtime() + datetime.timedelta(days=days)).replace(
        hour=hour, minute=minute, second=0, microsecond=0
    )


def _create_args(**overrides):
    args = {
        "starts_at": _soon(),
        "venue": "Training suite, Headquarters",
        "online_link": "",
        "trainer": None,
        "trainer_name": "Dr Ann Expert",
        "capacity": 12,
        "notes": "",
    }
    args.update(overrides)
    return args


def _update_args(session, **overrides):
    args = {
        "starts_at": session.starts_at,
        "venue": session.venue,
        "online_link": session.online_link,
        "trainer": session.trainer,
        "trainer_name": session.trainer_name,
        "capacity": session.capacity,
        "notes": session.notes,
    }
    args.update(overrides)
    return args


def _refused(call, **kwargs) -> ServiceError:
    with pytest.raises(ServiceError) as caught:
        call(**kwargs)
    return caught.value


@pytest.fixture
def supervisor(make_user):
    """A supervisor signed in, who is trainee SGT100 on the officer list."""
    user = make_user(Role.SUPERVISOR, username="sgt", collar_number="SGT100")
    user.trainee = TraineeFactory(collar_number="SGT100", name="Sergeant Supervisor")
    return user


# --- scheduling --------------------------------------------------------------------------------


def test_session_create_schedules_and_audits(coordinator):
    course = CourseFactory()
    session = session_create(course=course, by=coordinator, **_create_args())
    assert session.status == Session.Status.SCHEDULED
    assert session.trainer_display == "Dr Ann Expert"
    assert AuditEvent.objects.filter(
        object_type="training.session", object_id=str(session.pk), action="collection"
    ).exists()


def test_session_with_a_trainer_who_has_an_account(coordinator, make_user):
    trainer = make_user(Role.CHAMPION)
    session = session_create(
        course=CourseFactory(),
        by=coordinator,
        **_create_args(trainer=trainer, trainer_name=""),
    )
    assert session.trainer == trainer


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"venue": "", "online_link": ""}, "venue"),
        ({"capacity": 0}, "capacity"),
        ({"starts_at": timezone.now() - datetime.timedelta(hours=1)}, "starts_at"),
        ({"trainer_name": ""}, "trainer"),
    ],
)
def test_session_create_refuses_bad_input_on_its_field(coordinator, overrides, field):
    error = _refused(
        session_create, course=CourseFactory(), by=coordinator, **_create_args(**overrides)
    )
    assert error.field == field
    assert not Session.objects.exists()


def test_a_session_needs_a_venue_or_an_online_link(coordinator):
    error = _refused(
        session_create,
        course=CourseFactory(),
        by=coordinator,
        **_create_args(venue="", online_link=""),
    )
    assert error.field == "venue"
    online = session_create(
        course=CourseFactory(),
        by=coordinator,
        **_create_args(venue="", online_link="https://meet.example.invalid/x"),
    )
    assert online.where == "Online"


def test_trainer_must_use_the_training_area(coordinator, make_user):
    error = _refused(
        session_create,
        course=CourseFactory(),
        by=coordinator,
        **_create_args(trainer=make_user(Role.PARTNER), trainer_name=""),
    )
    assert error.field == "trainer"


def test_no_session_of_a_course_no_longer_run(coordinator):
    error = _refused(
        session_create, course=CourseFactory(active=False), by=coordinator, **_create_args()
    )
    assert error.field == "course"


# --- changing ----------------------------------------------------------------------------------


def test_capacity_cannot_go_below_the_places_taken(coordinator):
    session = SessionFactory(capacity=14)
    BookingFactory.create_batch(11, session=session)
    BookingFactory(session=session, status=Booking.Status.ATTENDED)
    BookingFactory(session=session, status=Booking.Status.WAITING)
    BookingFactory(session=session, status=Booking.Status.CANCELLED)
    error = _refused(
        session_update,
        session=session,
        by=coordinator,
        version=session.version,
        **_update_args(session, capacity=11),
    )
    assert error.field == "capacity"
    assert error.message == "12 people hold places: the capacity cannot be less than 12"
    updated = session_update(
        session=session,
        by=coordinator,
        version=session.version,
        **_update_args(session, capacity=12),
    )
    assert updated.capacity == 12


def test_raising_the_capacity_gives_the_new_place_to_the_first_waiting(coordinator):
    session = SessionFactory(capacity=2)
    BookingFactory.create_batch(2, session=session)
    now = timezone.now()
    first = BookingFactory(
        session=session,
        status=Booking.Status.WAITING,
        placed_at=None,
        joined_at=now - datetime.timedelta(hours=2),
    )
    second = BookingFactory(
        session=session, status=Booking.Status.WAITING, placed_at=None, joined_at=now
    )
    session_update(session=session, by=coordinator, version=1, **_update_args(session, capacity=3))
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.status == Booking.Status.BOOKED
    assert second.status == Booking.Status.WAITING


def test_update_refuses_a_stale_version(coordinator):
    session = SessionFactory()
    session_update(session=session, by=coordinator, version=1, **_update_args(session, notes="A"))
    with pytest.raises(ChangedByAnotherUser):
        session_update(
            session=session, by=coordinator, version=1, **_update_args(session, notes="B")
        )
    session.refresh_from_db()
    assert (session.notes, session.version) == ("A", 2)


def test_a_moved_session_keeps_its_bookings(coordinator):
    session = SessionFactory()
    booking = BookingFactory(session=session)
    later = session.starts_at + datetime.timedelta(days=7)
    updated = session_update(
        session=session, by=coordinator, version=1, **_update_args(session, starts_at=later)
    )
    booking.refresh_from_db()
    assert updated.starts_at == later
    assert booking.status == Booking.Status.BOOKED
    event = AuditEvent.objects.get(object_type="training.session", action="alteration")
    assert event.changed_fields == ["starts_at"]


def test_a_session_cannot_be_moved_into_the_past(coordinator):
    session = SessionFactory()
    error = _refused(
        session_update,
        session=session,
        by=coordinator,
        version=1,
        **_update_args(session, starts_at=timezone.now() - datetime.timedelta(days=1)),
    )
    assert error.field == "starts_at"


def test_a_cancelled_session_cannot_be_changed(coordinator):
    session = SessionFactory(status=Session.Status.CANCELLED, cancelled_reason="Trainer ill")
    _refused(session_update, session=session, by=coordinator, version=1, **_update_args(session))


# --- cancelling --------------------------------------------------------------------------------


def test_cancel_cancels_bookings_and_tells_each_person_once(
    coordinator, django_capture_on_commit_callbacks, mailoutbox
):
    course = CourseFactory(title="Stalking awareness")
    session = SessionFactory(course=course, venue="Room 4, Headquarters", capacity=1)
    booker = UserFactory(roles=["supervisor"], email="sergeant@police.example.invalid")
    booked = BookingFactory(session=session, booked_by=booker)
    waiting = BookingFactory(
        session=session, booked_by=booker, status=Booking.Status.WAITING, placed_at=None
    )
    no_email = BookingFactory(
        session=session,
        booked_by=booker,
        status=Booking.Status.WAITING,
        placed_at=None,
        trainee=TraineeFactory(email=""),
    )
    with django_capture_on_commit_callbacks(execute=True):
        session_cancel(
            session=session, by=coordinator, reason="Trainer unwell", version=session.version
        )
    session.refresh_from_db()
    assert session.status == Session.Status.CANCELLED
    assert session.cancelled_reason == "Trainer unwell"
    for booking in (booked, waiting, no_email):
        booking.refresh_from_db()
        assert booking.status == Booking.Status.CANCELLED
        assert booking.cancellation_reason == "Session cancelled: Trainer unwell"
        assert booking.cancelled_by == coordinator
    recipients = sorted(address for mail in mailoutbox for address in mail.to)
    assert recipients == sorted(
        [booked.trainee.email, waiting.trainee.email, "sergeant@police.example.invalid"]
    )
    assert all(len(mail.to) == 1 for mail in mailoutbox)
    mail = mailoutbox[0]
    when = timezone.localtime(session.starts_at)
    assert "Stalking awareness" in mail.subject
    assert "cancelled" in mail.body
    assert "Room 4, Headquarters" in mail.body
    assert f"{when:%H:%M}" in mail.body and str(when.day) in mail.body
    assert reverse("training:sessions") in mail.body
    for private in (booked.trainee.name, booked.trainee.collar_number, "Trainer unwell"):
        assert private not in mail.body and private not in mail.subject


def test_cancel_promotes_nobody_and_writes_one_audit_entry(coordinator):
    session = SessionFactory(capacity=1)
    BookingFactory(session=session)
    BookingFactory(session=session, status=Booking.Status.WAITING, placed_at=None)
    session_cancel(session=session, by=coordinator, reason="Snow", version=1)
    assert not session.bookings.exclude(status=Booking.Status.CANCELLED).exists()
    assert AuditEvent.objects.filter(object_type="training.session").count() == 1


def test_cancel_needs_a_reason_and_the_current_version(coordinator):
    session = SessionFactory()
    assert (
        _refused(session_cancel, session=session, by=coordinator, reason=" ", version=1).field
        == "reason"
    )
    with pytest.raises(ChangedByAnotherUser):
        session_cancel(session=session, by=coordinator, reason="Snow", version=7)


def test_a_session_that_has_started_cannot_be_cancelled(coordinator):
    session = SessionFactory(starts_at=timezone.now() - datetime.timedelta(hours=1))
    _refused(session_cancel, session=session, by=coordinator, reason="Snow", version=1)


# --- the programme -----------------------------------------------------------------------------


def test_programme_shows_places_left_and_waiting(client, officer):
    open_session = SessionFactory(capacity=12)
    BookingFactory.create_batch(10, session=open_session)
    full = SessionFactory(capacity=2)
    BookingFactory.create_batch(2, session=full)
    BookingFactory.create_batch(3, session=full, status=Booking.Status.WAITING, placed_at=None)
    client.force_login(officer)
    page = client.get(reverse("training:sessions")).content.decode()
    assert "2 of 12 left" in page
    assert "Full \u2013 3 waiting" in page


def test_programme_filters(client, officer):
    course = CourseFactory()
    mine = SessionFactory(course=course, starts_at=_soon(days=40))
    online = SessionFactory(venue="", online_link="https://meet.example.invalid/a")
    full = SessionFactory(capacity=1)
    BookingFactory(session=full)
    past = SessionFactory(starts_at=timezone.now() - datetime.timedelta(days=3))
    client.force_login(officer)

    def shown(query):
        response = client.get(reverse("training:sessions") + query)
        return {s.pk for s in response.context["sessions"]}

    assert shown("") == {mine.pk, online.pk, full.pk}
    assert shown(f"?course={course.pk}") == {mine.pk}
    assert shown("?mode=online") == {online.pk}
    assert shown("?mode=in_person") == {mine.pk, full.pk}
    assert shown("?free_places=on") == {mine.pk, online.pk}
    assert shown("?when=past") == {past.pk}
    month = timezone.localtime(mine.starts_at)
    assert mine.pk in shown(f"?month={month:%Y-%m}")
    assert shown(f"?month={month:%Y-%m}") <= {mine.pk, online.pk, full.pk}


def test_programme_is_paginated(client, officer):
    SessionFactory.create_batch(30, course=CourseFactory())
    client.force_login(officer)
    response = client.get(reverse("training:sessions"))
    assert len(response.context["sessions"]) == 25
    response = client.get(reverse("training:sessions") + response.context["page"].next_link)
    assert len(response.context["sessions"]) == 5


def _programme(n):
    for _ in range(n):
        session = SessionFactory()
        BookingFactory(session=session)
        BookingFactory(session=session, status=Booking.Status.WAITING, placed_at=None)


@pytest.mark.parametrize("role", [Role.COORDINATOR, Role.SUPERVISOR])
def test_programme_queries_do_not_grow_with_sessions(
    client, make_user, role, django_assert_num_queries
):
    client.force_login(make_user(role))
    _programme(3)
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("training:sessions"))
    _programme(17)
    with django_assert_num_queries(len(few.captured_queries)):
        response = client.get(reverse("training:sessions"))
    assert len(response.context["sessions"]) == 20


def test_book_links_only_for_those_who_book(client, officer, supervisor):
    session = SessionFactory()
    try:
        book_url = reverse("training:book", args=[session.pk])
    except NoReverseMatch:  # pragma: no cover - the bookings pages are not there yet
        pytest.skip("training:book is not written yet")
    client.force_login(supervisor)
    assert book_url in client.get(reverse("training:sessions")).content.decode()
    client.force_login(officer)
    assert book_url not in client.get(reverse("training:sessions")).content.decode()


def test_outsider_may_not_see_the_programme(client, outsider):
    client.force_login(outsider)
    assert client.get(reverse("training:sessions")).status_code == 403


# --- a session's page --------------------------------------------------------------------------


def test_manager_sees_the_booked_and_the_waiting_list_in_order(client, coordinator):
    session = SessionFactory(capacity=1)
    BookingFactory(session=session, trainee=TraineeFactory(name="Alice Booked"))
    now = timezone.now()
    BookingFactory(
        session=session,
        trainee=TraineeFactory(name="Carol Second"),
        status=Booking.Status.WAITING,
        placed_at=None,
        joined_at=now,
    )
    BookingFactory(
        session=session,
        trainee=TraineeFactory(name="Bob First"),
        status=Booking.Status.WAITING,
        placed_at=None,
        joined_at=now - datetime.timedelta(hours=1),
    )
    client.force_login(coordinator)
    response = client.get(reverse("training:session_detail", args=[session.pk]))
    assert [b.trainee.name for b in response.context["booked"]] == ["Alice Booked"]
    assert [b.trainee.name for b in response.context["waiting"]] == ["Bob First", "Carol Second"]
    page = response.content.decode()
    assert page.index("Bob First") < page.index("Carol Second")
    assert "On the waiting list" in page
    assert AuditEvent.objects.filter(
        action="consultation", object_type="training.session", object_id=str(session.pk)
    ).exists()


def test_supervisor_sees_only_their_teams_bookings(client, supervisor):
    session = SessionFactory()
    BookingFactory(
        session=session, trainee=TraineeFactory(name="My Constable", supervisor=supervisor.trainee)
    )
    BookingFactory(session=session, trainee=TraineeFactory(name="Someone Else"))
    client.force_login(supervisor)
    response = client.get(reverse("training:session_detail", args=[session.pk]))
    page = response.content.decode()
    assert "My Constable" in page
    assert "Someone Else" not in page
    assert response.context["can_book"]
    assert "Change the session" not in page


def test_officer_sees_the_session_but_no_one_elses_booking(client, officer):
    session = SessionFactory()
    BookingFactory(session=session, trainee=TraineeFactory(name="Someone Else"))
    client.force_login(officer)
    response = client.get(reverse("training:session_detail", args=[session.pk]))
    assert response.status_code == 200
    assert "Someone Else" not in response.content.decode()
    assert not response.context["can_book"]


def test_outsider_may_not_see_a_session(client, outsider):
    session = SessionFactory()
    client.force_login(outsider)
    assert client.get(reverse("training:session_detail", args=[session.pk])).status_code == 403


def test_trainer_gets_the_record_attendance_link(client, make_user):
    trainer = make_user(Role.CHAMPION)
    session = SessionFactory(trainer=trainer)
    client.force_login(trainer)
    response = client.get(reverse("training:session_detail", args=[session.pk]))
    assert response.context["can_record_attendance"]


# --- scheduling pages --------------------------------------------------------------------------


def test_session_new_preselects_the_course_and_schedules(client, coordinator):
    course = CourseFactory()
    client.force_login(coordinator)
    response = client.get(reverse("training:session_new") + f"?course={course.pk}")
    assert response.context["form"]["course"].value() == course.pk
    when = _soon(days=20)
    response = client.post(
        reverse("training:session_new"),
        {
            "course": course.pk,
            "date": f"{when.day}/{when.month}/{when.year}",
            "time": "09:30",
            "venue": "Room 1",
            "trainer_name": "Visiting expert",
            "capacity": "10",
        },
    )
    session = Session.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("training:session_detail", args=[session.pk])
    assert timezone.localtime(session.starts_at) == when


def test_session_new_shows_a_missing_venue_next_to_the_venue(client, coordinator):
    course = CourseFactory()
    when = _soon()
    client.force_login(coordinator)
    response = client.post(
        reverse("training:session_new"),
        {
            "course": course.pk,
            "date": f"{when.day}/{when.month}/{when.year}",
            "time": "09:30",
            "trainer_name": "Visiting expert",
            "capacity": "10",
        },
    )
    assert response.status_code == 200
    assert response.context["form"].errors["venue"]


def test_a_past_date_is_shown_next_to_the_date(client, coordinator):
    client.force_login(coordinator)
    response = client.post(
        reverse("training:session_new"),
        {
            "course": CourseFactory().pk,
            "date": "1/1/2020",
            "time": "09:30",
            "venue": "Room 1",
            "trainer_name": "Visiting expert",
            "capacity": "10",
        },
    )
    assert response.context["form"].errors["date"] == ["The session must start in the future."]


@pytest.mark.parametrize("role", [Role.OFFICER, Role.SUPERVISOR])
def test_read_only_roles_may_not_schedule(client, make_user, role):
    session = SessionFactory()
    client.force_login(make_user(role))
    assert client.get(reverse("training:session_new")).status_code == 403
    assert client.get(reverse("training:session_edit", args=[session.pk])).status_code == 403
    assert client.get(reverse("training:session_cancel", args=[session.pk])).status_code == 403
    assert client.post(reverse("training:session_cancel", args=[session.pk])).status_code == 403


def test_session_edit_refuses_a_capacity_below_the_places_taken(client, coordinator):
    session = SessionFactory(capacity=3, trainer=None, trainer_name="Visiting expert")
    BookingFactory.create_batch(3, session=session)
    when = timezone.localtime(session.starts_at)
    client.force_login(coordinator)
    response = client.post(
        reverse("training:session_edit", args=[session.pk]),
        {
            "date": f"{when.day}/{when.month}/{when.year}",
            "time": f"{when:%H:%M}",
            "venue": session.venue,
            "trainer_name": "Visiting expert",
            "capacity": "2",
            "version": "1",
        },
    )
    assert response.status_code == 200
    assert response.context["form"].errors["capacity"] == [
        "3 people hold places: the capacity cannot be less than 3"
    ]


def test_session_edit_with_a_stale_version_says_so(client, coordinator):
    session = SessionFactory(trainer=None, trainer_name="Visiting expert")
    Session.objects.filter(pk=session.pk).update(version=3)
    when = timezone.localtime(session.starts_at)
    client.force_login(coordinator)
    response = client.post(
        reverse("training:session_edit", args=[session.pk]),
        {
            "date": f"{when.day}/{when.month}/{when.year}",
            "time": f"{when:%H:%M}",
            "venue": "Another room",
            "trainer_name": "Visiting expert",
            "capacity": "12",
            "version": "1",
        },
    )
    assert response.status_code == 200
    assert "Someone else changed this session" in response.content.decode()
    assert response.context["form"]["venue"].value() == "Another room"


def test_session_cancel_page_confirms_then_cancels(
    client, coordinator, django_capture_on_commit_callbacks
):
    session = SessionFactory()
    BookingFactory(session=session)
    client.force_login(coordinator)
    page = client.get(reverse("training:session_cancel", args=[session.pk])).content.decode()
    assert "1 booked and 0 waiting" in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("training:session_cancel", args=[session.pk]),
            {"reason": "Venue flooded", "version": "1"},
        )
    assert response.status_code == 302
    session.refresh_from_db()
    assert session.status == Session.Status.CANCELLED
