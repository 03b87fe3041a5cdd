"""Booking services: places given in order until the session is full, then SessionFull with
nothing written, or the waiting list; who may not be booked; cancelling promotes the first
waiting (join order), and tells them and whoever booked them; ``session_fill_places`` after the
capacity rises."""

import datetime

import pytest
from django.conf import settings
from django.core import mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from stalking_clinic.accounts.models import Role
from stalking_clinic.audit.models import AuditEvent
from stalking_clinic.services import ChangedByAnotherUser, ServiceError
from training.models import Booking, Session
from training.services.bookings import (
    SessionFull,
    booking_cancel,
    bookings_create,
    session_fill_places,
)

from .factories import BookingFactory, SessionFactory, TraineeFactory

pytestmark = pytest.mark.django_db

BOOKED, WAITING, CANCELLED = Booking.Status.BOOKED, Booking.Status.WAITING, Booking.Status.CANCELLED


@pytest.fixture
def supervisor(make_user):
    return make_user(
        Role.SUPERVISOR, username="sup", email="sup@police.example.invalid", collar_number="PS1"
    )


@pytest.fixture
def session():
    return SessionFactory(capacity=2, course__title="Stalking awareness")


def _statuses(session):
    return dict(Booking.objects.filter(session=session).values_list("trainee_id", "status"))


def test_places_go_in_order_until_the_session_is_full(session, supervisor):
    first, second, third = TraineeFactory(), TraineeFactory(), TraineeFactory()

    made = bookings_create(session=session, trainees=[first, second], by=supervisor)

    assert [(b.trainee, b.status) for b in made] == [(first, BOOKED), (second, BOOKED)]
    assert all(b.placed_at is not None and b.booked_by == supervisor for b in made)
    audits = AuditEvent.objects.count()
    with pytest.raises(SessionFull) as refused:
        bookings_create(session=session, trainees=[third], by=supervisor)
    assert refused.value.places_left == 0
    assert refused.value.field == "trainees"
    assert refused.value.message.startswith("This session is now full.")
    assert _statuses(session) == {first.pk: BOOKED, second.pk: BOOKED}
    assert AuditEvent.objects.count() == audits


def test_more_officers_than_places_writes_nothing(supervisor):
    session = SessionFactory(capacity=3)
    BookingFactory(session=session)
    trainees = [TraineeFactory() for _ in range(3)]

    with pytest.raises(SessionFull) as refused:
        bookings_create(session=session, trainees=trainees, by=supervisor)

    assert refused.value.places_left == 2
    assert refused.value.message == (
        "Only 2 places are left. Choose 2 officers, or put the others on the waiting list."
    )
    assert Booking.objects.filter(session=session).count() == 1


def test_one_place_left_is_said_in_the_singular(session, supervisor):
    BookingFactory(session=session)
    with pytest.raises(SessionFull) as refused:
        bookings_create(
            session=session, trainees=[TraineeFactory(), TraineeFactory()], by=supervisor
        )
    assert refused.value.message == (
        "Only 1 place is left. Choose 1 officer, or put the others on the waiting list."
    )


def test_the_rest_join_the_waiting_list_when_chosen(session, supervisor):
    trainees = [TraineeFactory() for _ in range(4)]

    made = bookings_create(session=session, trainees=trainees, by=supervisor, waiting_list=True)

    assert [b.status for b in made] == [BOOKED, BOOKED, WAITING, WAITING]
    assert made[2].placed_at is None
    # Joined together: the order given is kept by id.
    assert list(
        Booking.objects.filter(session=session, status=WAITING)
        .order_by("joined_at", "id")
        .values_list("trainee", flat=True)
    ) == [trainees[2].pk, trainees[3].pk]
    assert (
        AuditEvent.objects.filter(
            action=AuditEvent.Action.COLLECTION, object_type="training.booking"
        ).count()
        == 4
    )


def test_someone_already_on_the_session_is_named(session, supervisor):
    on_it = TraineeFactory(name="Dan Booked")
    waiting = TraineeFactory(name="Wendy Waiting")
    BookingFactory(session=session, trainee=on_it)
    BookingFactory(session=session, trainee=waiting, status=WAITING, placed_at=None)

    with pytest.raises(ServiceError) as refused:
        bookings_create(session=session, trainees=[TraineeFactory(), on_it], by=supervisor)
    assert refused.value.field == "trainees"
    assert "Dan Booked is already on this session" in refused.value.message

    with pytest.raises(ServiceError) as refused:
        bookings_create(session=session, trainees=[waiting], by=supervisor)
    assert "Wendy Waiting is on the waiting list for this session" in refused.value.message
    assert Booking.objects.filter(session=session).count() == 2


def test_a_cancelled_booking_does_not_stop_booking_again(session, supervisor):
    trainee = TraineeFactory()
    BookingFactory(session=session, trainee=trainee, status=CANCELLED)
    (again,) = bookings_create(session=session, trainees=[trainee], by=supervisor)
    assert again.status == BOOKED


def test_an_officer_no_longer_on_the_list_is_refused(session, supervisor):
    gone = TraineeFactory(name="Gone Away", active=False)
    with pytest.raises(ServiceError) as refused:
        bookings_create(session=session, trainees=[gone], by=supervisor)
    assert refused.value.field == "trainees"
    assert "Gone Away is no longer on the officer list" in refused.value.message
    assert not Booking.objects.exists()


@pytest.mark.parametrize(
    "change, message",
    [
        ({"status": Session.Status.CANCELLED}, "This session has been cancelled."),
        (
            {"starts_at": timezone.now() - datetime.timedelta(minutes=5)},
            "This session has already started.",
        ),
    ],
)
def test_a_cancelled_or_started_session_is_refused(supervisor, change, message):
    session = SessionFactory(**change)
    with pytest.raises(ServiceError) as refused:
        bookings_create(session=session, trainees=[TraineeFactory()], by=supervisor)
    assert refused.value.field is None
    assert refused.value.message.startswith(message)
    assert not Booking.objects.exists()


def test_nobody_chosen_is_refused(session, supervisor):
    with pytest.raises(ServiceError) as refused:
        bookings_create(session=session, trainees=[], by=supervisor)
    assert refused.value.field == "trainees"


def test_booking_confirms_by_email_with_course_time_and_place_only(
    session, supervisor, django_capture_on_commit_callbacks
):
    trainee = TraineeFactory(name="Priya Patel")
    nobody = TraineeFactory(email="")
    with django_capture_on_commit_callbacks(execute=True):
        bookings_create(session=session, trainees=[trainee, nobody], by=supervisor)
    (email,) = mail.outbox
    assert email.to == [trainee.email]
    assert email.subject == "Booked: Stalking awareness"
    assert session.venue in email.body
    assert settings.SITE_URL + reverse("training:my_training") in email.body
    assert "Priya" not in email.subject + email.body


# --- cancelling and the waiting list -------------------------------------------------------------


def _full_with_waiting(session, supervisor):
    """The session's two places taken, and two waiting, the second joined later."""
    placed = [BookingFactory(session=session, booked_by=supervisor) for _ in range(2)]
    now = timezone.now()
    # Created in the reverse order: the join time, not the id, decides who is first.
    second = BookingFactory(
        session=session, status=WAITING, placed_at=None, joined_at=now, booked_by=supervisor
    )
    first = BookingFactory(
        session=session,
        status=WAITING,
        placed_at=None,
        joined_at=now - datetime.timedelta(hours=1),
        booked_by=supervisor,
        trainee__name="Fiona First",
    )
    return placed, first, second


def test_cancelling_a_place_promotes_the_first_waiting_and_tells_them(
    session, supervisor, coordinator, django_capture_on_commit_callbacks
):
    placed, first, second = _full_with_waiting(session, supervisor)

    with django_capture_on_commit_callbacks(execute=True):
        promoted = booking_cancel(booking=placed[0], by=coordinator, reason="On leave", version=1)

    assert promoted == first
    placed[0].refresh_from_db()
    assert placed[0].status == CANCELLED
    assert placed[0].cancelled_by == coordinator
    assert placed[0].cancellation_reason == "On leave"
    assert placed[0].version == 2
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.status == BOOKED and first.placed_at is not None
    assert second.status == WAITING
    assert sorted(m.to[0] for m in mail.outbox) == sorted([first.trainee.email, supervisor.email])
    for email in mail.outbox:
        assert email.subject == "A place has come up: Stalking awareness"
        assert "A place has come up" in email.body
        assert session.venue in email.body
        assert settings.SITE_URL + reverse("training:my_training") in email.body
        assert "Fiona" not in email.body
    assert AuditEvent.objects.filter(
        object_type="training.booking", object_id=str(first.pk), action="alteration"
    ).exists()


def test_cancelling_a_waiting_place_promotes_nobody(session, supervisor, coordinator):
    placed, first, second = _full_with_waiting(session, supervisor)

    assert booking_cancel(booking=first, by=coordinator) is None

    assert _statuses(session) == {
        placed[0].trainee_id: BOOKED,
        placed[1].trainee_id: BOOKED,
        first.trainee_id: CANCELLED,
        second.trainee_id: WAITING,
    }


def test_a_stale_version_is_refused(session, coordinator):
    booking = BookingFactory(session=session)
    Booking.objects.filter(pk=booking.pk).update(version=2)  # someone else changed it
    with pytest.raises(ChangedByAnotherUser):
        booking_cancel(booking=booking, by=coordinator, version=1)
    booking.refresh_from_db()
    assert booking.status == BOOKED


def test_cancelling_twice_is_refused(session, coordinator):
    booking = BookingFactory(session=session)
    booking_cancel(booking=booking, by=coordinator)
    with pytest.raises(ServiceError, match="already been cancelled"):
        booking_cancel(booking=booking, by=coordinator)


def test_a_booking_on_a_started_session_is_not_cancelled_here(coordinator):
    booking = BookingFactory(session__starts_at=timezone.now() - datetime.timedelta(minutes=1))
    with pytest.raises(ServiceError, match="already started"):
        booking_cancel(booking=booking, by=coordinator)
    booking.refresh_from_db()
    assert booking.status == BOOKED


def test_session_fill_places_gives_new_places_to_the_waiting_list_in_join_order(
    session, supervisor, coordinator, django_capture_on_commit_callbacks
):
    _, first, second = _full_with_waiting(session, supervisor)
    third = BookingFactory(session=session, status=WAITING, placed_at=None, booked_by=supervisor)

    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        locked = Session.objects.select_for_update().get(pk=session.pk)
        locked.capacity = 4
        locked.save(update_fields=["capacity"])
        promoted = session_fill_places(locked, by=coordinator)

    assert promoted == [first, second]
    assert _statuses(session)[third.trainee_id] == WAITING
    assert {m.to[0] for m in mail.outbox} == {
        first.trainee.email,
        second.trainee.email,
        supervisor.email,
    }


def test_people_waiting_come_before_a_new_booking_when_places_are_free(session, supervisor):
    _, first, second = _full_with_waiting(session, supervisor)
    Session.objects.filter(pk=session.pk).update(capacity=3)
    newcomer = TraineeFactory()

    (made,) = bookings_create(
        session=session, trainees=[newcomer], by=supervisor, waiting_list=True
    )

    assert made.status == WAITING
    assert _statuses(session)[first.trainee_id] == BOOKED
    assert _statuses(session)[second.trainee_id] == WAITING
