"""Recording attendance: only once the session has started, by the coordinator, the tactical lead
or the session's trainer; outcomes corrected later; a late cancellation gives no place to the
waiting list; the register page keeps what was entered when a row is refused."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from stalking_clinic.accounts.models import Role
from stalking_clinic.audit.models import AuditEvent
from stalking_clinic.services import ServiceError
from training.models import Booking, Session
from training.services.attendance import attendance_record

from .factories import BookingFactory, SessionFactory, TraineeFactory

pytestmark = pytest.mark.django_db

BOOKED, WAITING = Booking.Status.BOOKED, Booking.Status.WAITING
ATTENDED, ABSENT, CANCELLED = (
    Booking.Status.ATTENDED,
    Booking.Status.ABSENT,
    Booking.Status.CANCELLED,
)


@pytest.fixture
def trainer(make_user):
    """A trainer from the clinic who does not manage the programme."""
    return make_user(Role.ISAC, username="trainer")


@pytest.fixture
def session(trainer):
    """Started two hours ago, with three people booked and one waiting."""
    return SessionFactory(
        trainer=trainer,
        capacity=3,
        starts_at=timezone.now() - datetime.timedelta(hours=2),
        course__title="Stalking awareness",
    )


@pytest.fixture
def bookings(session):
    booked = [
        BookingFactory(session=session, trainee=TraineeFactory(name=name))
        for name in ("Alice Archer", "Ben Baker", "Cara Cole")
    ]
    waiting = BookingFactory(
        session=session, trainee=TraineeFactory(name="Dan Dale"), status=WAITING, placed_at=None
    )
    return booked, waiting


def _alterations(booking):
    return AuditEvent.objects.filter(
        action=AuditEvent.Action.ALTERATION,
        object_type="training.booking",
        object_id=str(booking.pk),
    )


# The service ------------------------------------------------------------------------------------


def test_trainer_records_attended_and_absent(session, bookings, trainer):
    (alice, ben, cara), _ = bookings
    changed = attendance_record(
        session=session,
        by=trainer,
        outcomes={alice.pk: "attended", ben.pk: "absent", cara.pk: "attended"},
    )
    assert {b.pk for b in changed} == {alice.pk, ben.pk, cara.pk}
    for booking, status in ((alice, ATTENDED), (ben, ABSENT), (cara, ATTENDED)):
        booking.refresh_from_db()
        assert booking.status == status
        assert booking.attendance_recorded_by == trainer
        assert booking.attendance_recorded_at is not None
        assert _alterations(booking).count() == 1


def test_attendance_cannot_be_recorded_before_the_session_starts(trainer, coordinator):
    session = SessionFactory(
        trainer=trainer, starts_at=timezone.now() + datetime.timedelta(minutes=30)
    )
    booking = BookingFactory(session=session)
    for by in (trainer, coordinator):
        with pytest.raises(ServiceError, match="once the session has started"):
            attendance_record(session=session, by=by, outcomes={booking.pk: "attended"})
    booking.refresh_from_db()
    assert booking.status == BOOKED


def test_a_cancelled_session_has_no_attendance(session, bookings, coordinator):
    (alice, *_), _ = bookings
    Session.objects.filter(pk=session.pk).update(status=Session.Status.CANCELLED)
    with pytest.raises(ServiceError, match="cancelled"):
        attendance_record(session=session, by=coordinator, outcomes={alice.pk: "attended"})


def test_coordinator_and_tactical_lead_may_record(session, bookings, coordinator, persona):
    (alice, ben, _), _ = bookings
    attendance_record(session=session, by=coordinator, outcomes={alice.pk: "attended"})
    attendance_record(
        session=session, by=persona(Role.TACTICAL_LEAD), outcomes={ben.pk: "attended"}
    )
    assert set(Booking.objects.filter(status=ATTENDED).values_list("pk", flat=True)) == {
        alice.pk,
        ben.pk,
    }


@pytest.mark.parametrize("role", [Role.ISAC, Role.SUPERVISOR, Role.OFFICER])
def test_another_trainer_or_a_supervisor_may_not_record(session, bookings, make_user, role):
    (alice, *_), _ = bookings
    someone = make_user(role, username="someone")
    SessionFactory(trainer=someone)  # trains another session
    with pytest.raises(ServiceError, match="may not record"):
        attendance_record(session=session, by=someone, outcomes={alice.pk: "attended"})
    alice.refresh_from_db()
    assert alice.status == BOOKED


def test_an_outcome_can_be_corrected_later(session, bookings, trainer, coordinator):
    (alice, *_), _ = bookings
    attendance_record(session=session, by=trainer, outcomes={alice.pk: "absent"})
    attendance_record(session=session, by=coordinator, outcomes={alice.pk: "attended"})
    alice.refresh_from_db()
    assert alice.status == ATTENDED
    assert alice.attendance_recorded_by == coordinator
    assert _alterations(alice).count() == 2


def test_recording_the_same_outcome_again_changes_nothing(session, bookings, trainer):
    (alice, *_), _ = bookings
    attendance_record(session=session, by=trainer, outcomes={alice.pk: "attended"})
    assert attendance_record(session=session, by=trainer, outcomes={alice.pk: "attended"}) == []
    assert _alterations(alice).count() == 1


def test_a_late_cancellation_gives_no_place_to_the_waiting_list(session, bookings, trainer):
    (alice, *_), dan = bookings
    attendance_record(session=session, by=trainer, outcomes={alice.pk: "cancelled"})
    alice.refresh_from_db()
    dan.refresh_from_db()
    assert alice.status == CANCELLED
    assert alice.cancelled_by == trainer and alice.cancelled_at is not None
    assert dan.status == WAITING
    assert _alterations(alice).get().changed_fields == sorted(
        [
            "status",
            "attendance_recorded_at",
            "attendance_recorded_by",
            "cancelled_at",
            "cancelled_by",
            "cancellation_reason",
        ]
    )


@pytest.mark.parametrize("which", ["waiting", "other_session", "missing"])
def test_a_booking_not_holding_a_place_here_refuses_the_whole_register(
    session, bookings, trainer, which
):
    (alice, *_), dan = bookings
    other = BookingFactory(session=SessionFactory(trainer=trainer, starts_at=session.starts_at))
    pk = {"waiting": dan.pk, "other_session": other.pk, "missing": 999_999}[which]
    with pytest.raises(ServiceError) as refused:
        attendance_record(
            session=session, by=trainer, outcomes={alice.pk: "attended", pk: "attended"}
        )
    assert refused.value.field == f"outcome_{pk}"
    alice.refresh_from_db()
    assert alice.status == BOOKED  # nothing written
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.ALTERATION).exists()


@pytest.mark.parametrize("outcome", ["booked", "waiting", "maybe", ""])
def test_an_unknown_outcome_is_refused(session, bookings, trainer, outcome):
    (alice, *_), _ = bookings
    with pytest.raises(ServiceError, match="Choose attended, absent or cancelled"):
        attendance_record(session=session, by=trainer, outcomes={alice.pk: outcome})


# The page ---------------------------------------------------------------------------------------


def _url(session):
    return reverse("training:attendance", args=[session.pk])


def test_trainer_sees_the_register_with_current_outcomes(client, session, bookings, trainer):
    (_alice, ben, _cara), _dan = bookings
    Booking.objects.filter(pk=ben.pk).update(status=ABSENT)
    client.force_login(trainer)
    response = client.get(_url(session))
    assert response.status_code == 200
    html = response.content.decode()
    for name in ("Alice Archer", "Ben Baker", "Cara Cole"):
        assert name in html
    assert "Dan Dale" not in html  # waiting: holds no place
    assert (
        f'id="id_outcome_{ben.pk}_2" name="outcome_{ben.pk}" type="radio" value="absent" checked'
        in html
    )
    assert 'value="attended" checked' not in html
    assert AuditEvent.objects.filter(
        action=AuditEvent.Action.CONSULTATION, object_id=str(session.pk)
    ).exists()


def test_saving_the_register_goes_back_to_the_session(client, session, bookings, trainer):
    (alice, ben, cara), _ = bookings
    client.force_login(trainer)
    response = client.post(
        _url(session),
        {
            f"outcome_{alice.pk}": "attended",
            f"outcome_{ben.pk}": "absent",
            f"outcome_{cara.pk}": "cancelled",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("training:session_detail", args=[session.pk])
    assert dict(Booking.objects.filter(session=session).values_list("pk", "status")) == {
        **{b.pk: s for b, s in ((alice, ATTENDED), (ben, ABSENT), (cara, CANCELLED))},
        bookings[1].pk: WAITING,
    }


def test_a_row_left_unanswered_keeps_everything_entered(client, session, bookings, trainer):
    (alice, ben, cara), _ = bookings
    client.force_login(trainer)
    response = client.post(
        _url(session), {f"outcome_{alice.pk}": "absent", f"outcome_{ben.pk}": "attended"}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Choose attended, absent or cancelled for Cara Cole" in html
    assert f'href="#id_outcome_{cara.pk}_1"' in html  # the error summary links to the row
    assert f'name="outcome_{alice.pk}" type="radio" value="absent" checked' in html
    assert f'name="outcome_{ben.pk}" type="radio" value="attended" checked' in html
    assert not Booking.objects.filter(session=session, status__in=[ATTENDED, ABSENT]).exists()


def test_someone_cancelled_meanwhile_is_left_off_the_register(client, session, bookings, trainer):
    (alice, ben, cara), _ = bookings
    client.force_login(trainer)
    form = client.get(_url(session)).context["form"]
    assert len(form.rows) == 3
    # Cancelled in another window before the register is saved.
    Booking.objects.filter(pk=cara.pk).update(status=CANCELLED)
    response = client.post(
        _url(session),
        {
            f"outcome_{alice.pk}": "attended",
            f"outcome_{ben.pk}": "attended",
            f"outcome_{cara.pk}": "attended",
        },
    )
    # Cara is no longer on the register: the form is rebuilt without her row and saves.
    assert response.status_code == 302
    assert Booking.objects.filter(session=session, status=ATTENDED).count() == 2


def test_a_tampered_outcome_is_shown_next_to_its_row(client, session, bookings, trainer):
    (alice, ben, cara), _ = bookings
    client.force_login(trainer)
    response = client.post(
        _url(session),
        {
            f"outcome_{alice.pk}": "booked",
            f"outcome_{ben.pk}": "attended",
            f"outcome_{cara.pk}": "attended",
        },
    )
    assert response.status_code == 200
    assert "Choose attended, absent or cancelled" in response.content.decode()
    assert response.context["form"].errors.keys() == {f"outcome_{alice.pk}"}


def test_before_the_session_starts_the_page_explains_and_has_no_form(client, trainer):
    session = SessionFactory(trainer=trainer)  # in two weeks
    BookingFactory(session=session)
    client.force_login(trainer)
    response = client.get(_url(session))
    assert response.status_code == 200
    assert "cannot be recorded yet" in response.content.decode()
    assert response.context["form"] is None
    response = client.post(_url(session), {})
    assert response.status_code == 200 and response.context["form"] is None


def test_coordinator_may_use_the_page(client, session, bookings, coordinator):
    client.force_login(coordinator)
    assert client.get(_url(session)).status_code == 200


@pytest.mark.parametrize("role", [Role.ISAC, Role.SUPERVISOR, Role.OFFICER, Role.SOLICITOR])
def test_others_in_training_are_refused(client, session, bookings, make_user, role):
    client.force_login(make_user(role, username="other"))
    assert client.get(_url(session)).status_code == 403
    assert client.post(_url(session), {}).status_code == 403


@pytest.mark.parametrize("role", [Role.PARTNER, Role.ADMINISTRATOR, None])
def test_outsiders_are_refused(client, session, make_user, role):
    client.force_login(make_user(*([role] if role else []), username="out"))
    assert client.get(_url(session)).status_code == 403


def test_an_unknown_session_is_not_found(client, trainer):
    client.force_login(trainer)
    assert client.get(reverse("training:attendance", args=[999_999])).status_code == 404


def test_the_register_takes_a_constant_number_of_queries(
    client, session, trainer, django_assert_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    session.capacity = 30
    session.save()
    BookingFactory(session=session)
    client.force_login(trainer)
    client.get(_url(session))
    with CaptureQueriesContext(connection) as few:
        client.get(_url(session))
    for _ in range(12):
        BookingFactory(session=session)
    with django_assert_num_queries(len(few.captured_queries)):
        client.get(_url(session))
