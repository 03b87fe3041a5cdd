"""Session reminders: one per booking and start time however often the job runs; again when the
session moves; none for cancelled bookings, waiting places, cancelled sessions or sessions
beyond the window; course, time, place and link in the email, nobody's name; a second worker
does nothing while the first holds the lock."""

import datetime
import logging

import psycopg2
import pytest
from django.conf import settings
from django.core import mail
from django.db import connection
from django.urls import reverse
from django.utils import timezone
from django.utils.dateformat import format as date_format

from stalking_clinic.locks import Lock
from training.models import Booking, Session, SessionReminder
from training.reminders import send_session_reminders
from training.tasks import send_session_reminders_task

from .factories import BookingFactory, SessionFactory, TraineeFactory

pytestmark = pytest.mark.django_db

HOUR = datetime.timedelta(hours=1)


def _in(hours):
    return (timezone.now() + hours * HOUR).replace(second=0, microsecond=0)


def test_each_booking_is_reminded_once(django_assert_max_num_queries):
    soon = SessionFactory(starts_at=_in(24), course__title="Stalking awareness")
    booked = BookingFactory(session=soon)
    BookingFactory(session=soon, status=Booking.Status.WAITING, placed_at=None)
    BookingFactory(session=soon, status=Booking.Status.CANCELLED)
    BookingFactory(session=SessionFactory(starts_at=_in(settings.TRAINING_REMINDER_HOURS + 24)))
    BookingFactory(session=SessionFactory(starts_at=_in(-2)))  # already over
    cancelled = SessionFactory(starts_at=_in(10), status=Session.Status.CANCELLED)
    BookingFactory(session=cancelled)

    assert send_session_reminders() == 1
    assert send_session_reminders() == 0
    assert send_session_reminders_task.delay().get() == 0
    (email,) = mail.outbox
    assert email.to == [booked.trainee.email]
    assert list(SessionReminder.objects.values_list("booking", "starts_at")) == [
        (booked.pk, soon.starts_at)
    ]


def test_a_session_moved_to_a_new_time_gets_a_new_reminder():
    booking = BookingFactory(session=SessionFactory(starts_at=_in(24)))
    assert send_session_reminders() == 1

    Session.objects.filter(pk=booking.session_id).update(starts_at=_in(30))
    assert send_session_reminders() == 1
    assert send_session_reminders() == 0
    assert SessionReminder.objects.filter(booking=booking).count() == 2
    assert len(mail.outbox) == 2


def test_a_session_beyond_the_window_is_reminded_once_it_comes_within_it():
    later = SessionFactory(starts_at=_in(settings.TRAINING_REMINDER_HOURS + 10))
    BookingFactory(session=later)

    assert send_session_reminders() == 0
    assert send_session_reminders(now=timezone.now() + 11 * HOUR) == 1
    assert send_session_reminders(now=timezone.now() + 12 * HOUR) == 0


def test_the_email_holds_course_time_place_and_link_but_no_name():
    session = SessionFactory(
        starts_at=_in(20),
        course__title="Stalking awareness",
        venue="Room 4, Headquarters",
        online_link="https://meet.example.invalid/abc",
    )
    trainee = TraineeFactory(name="Priya Patel", collar_number="PC7788")
    BookingFactory(session=session, trainee=trainee)

    send_session_reminders()

    (email,) = mail.outbox
    starts = timezone.localtime(session.starts_at)
    assert email.subject == (
        f"Training reminder: Stalking awareness on {date_format(starts, 'D j M Y')}"
    )
    assert date_format(starts, "H:i") in email.body
    assert "Room 4, Headquarters" in email.body
    assert "https://meet.example.invalid/abc" in email.body
    assert settings.SITE_URL + reverse("training:my_training") in email.body
    for personal in ("Priya", "Patel", "PC7788"):
        assert personal not in email.subject + email.body


def test_a_trainee_with_no_email_is_logged_without_their_name(caplog):
    trainee = TraineeFactory(name="Nora Noemail", email="")
    booking = BookingFactory(session=SessionFactory(starts_at=_in(5)), trainee=trainee)

    with caplog.at_level(logging.INFO, logger="training.reminders"):
        assert send_session_reminders() == 0
    assert booking.reference in caplog.text
    assert "Nora" not in caplog.text
    assert SessionReminder.objects.filter(booking=booking).exists()
    assert send_session_reminders() == 0
    assert not mail.outbox


def test_a_second_worker_does_nothing_while_the_first_holds_the_lock():
    BookingFactory(session=SessionFactory(starts_at=_in(5)))
    db = connection.settings_dict
    other = psycopg2.connect(
        dbname=db["NAME"],
        host=db["HOST"],
        port=db["PORT"],
        user=db["USER"],
        password=db["PASSWORD"],
    )
    try:
        with other.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_lock(%s)", [int(Lock.SESSION_REMINDERS)])
        assert send_session_reminders() == 0
        assert not SessionReminder.objects.exists()
        with other.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_unlock(%s)", [int(Lock.SESSION_REMINDERS)])
    finally:
        other.close()
    assert send_session_reminders() == 1


def test_beat_runs_the_job():
    entry = settings.CELERY_BEAT_SCHEDULE["send-session-reminders"]
    assert entry["task"] == "training.tasks.send_session_reminders_task"
    assert send_session_reminders_task.name == entry["task"]
