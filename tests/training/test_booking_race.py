"""Two supervisors booking the last place at the same moment, in real concurrent transactions:
exactly one gets it. Each thread has its own database connection; a barrier releases both into
``book`` together, and the assertions are on what the database holds once both have finished.
"""

import threading

import pytest
from django.db import connections

from stalking_clinic.accounts.models import Role
from training.models import Booking
from training.services.bookings import SessionFull, bookings_create

from ..factories import UserFactory
from .factories import BookingFactory, SessionFactory, TraineeFactory

CAPACITY = 3
ROUNDS = 5


def _race(*, waiting_list: bool):
    """One round: a session with one place left, two supervisors each booking their officer.
    Returns (session, what each thread got)."""
    session = SessionFactory(capacity=CAPACITY)
    for _ in range(CAPACITY - 1):
        BookingFactory(session=session)
    contenders = [
        (UserFactory(roles=[Role.SUPERVISOR]), TraineeFactory(email="")) for _ in range(2)
    ]
    barrier = threading.Barrier(len(contenders), timeout=30)
    outcomes = []

    def attempt(supervisor, trainee):
        try:
            barrier.wait()
            (made,) = bookings_create(
                session=session, trainees=[trainee], by=supervisor, waiting_list=waiting_list
            )
            outcomes.append(made.status)
        except SessionFull:
            outcomes.append("full")
        except Exception as error:  # reported by the assertions below
            outcomes.append(repr(error))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=attempt, args=pair) for pair in contenders]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads)
    return session, contenders, sorted(outcomes)


def _held(session):
    return Booking.objects.filter(session=session, status__in=Booking.HOLDS_PLACE).count()


@pytest.mark.django_db(transaction=True)
def test_two_supervisors_booking_the_last_place_at_once_one_gets_it():
    for _ in range(ROUNDS):
        session, contenders, outcomes = _race(waiting_list=False)

        assert outcomes == [Booking.Status.BOOKED, "full"]
        assert _held(session) == CAPACITY
        newcomers = Booking.objects.filter(
            session=session, trainee__in=[trainee for _, trainee in contenders]
        )
        # The one refused left nothing behind: no booking, no waiting place.
        assert list(newcomers.values_list("status", flat=True)) == [Booking.Status.BOOKED]


@pytest.mark.django_db(transaction=True)
def test_both_choosing_the_waiting_list_one_is_booked_and_one_waits():
    for _ in range(ROUNDS):
        session, contenders, outcomes = _race(waiting_list=True)

        assert outcomes == [Booking.Status.BOOKED, Booking.Status.WAITING]
        assert _held(session) == CAPACITY
        assert sorted(
            Booking.objects.filter(
                session=session, trainee__in=[trainee for _, trainee in contenders]
            ).values_list("status", flat=True)
        ) == [Booking.Status.BOOKED, Booking.Status.WAITING]
