"""Session reminders (training/reminders.py, made and emailed by the one reminders job): one per
booking and start time however often the job runs; again when the session moves; none for
cancelled bookings, waiting places, cancelled sessions or sessions beyond the window; course,
time, place and link in the email, nobody's name."""

import datetime
import logging

import pytest
from django.conf import settings
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from django.utils.dateformat import format as date_format

from stalking_clinic.reminders import tasks
from stalking_clinic.reminders.models import Reminder
from stalking_clinic.reminders.services import send_reminders
from training.models import Booking, Session
from training.reminders import session_key

from .factories import BookingFactory, SessionFactory, TraineeFactory

pytestmark = pytest.mark.django_db

HOUR = datetime.timedelta(hours=1)


def send_session_reminders(now: datetime.datetime | None = None) -> int:
    return send_reminders(now=now)


def reminders_of(booking):
    return Reminder.objects.filter(
        kind="training.session", key__startswith=f"booking:{booking.pk}:"
    )


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
    assert tasks.send_reminders.delay().get() == 0
    (email,) = mail.outbox
    assert email.to == [booked.trainee.email]
    assert list(Reminder.objects.values_list("key", "email")) == [
        (session_key(booked.pk, soon.starts_at), booked.trainee.email)
    ]


def test_a_session_moved_to_a_new_time_gets_a_new_reminder():
    booking = BookingFactory(session=SessionFactory(starts_at=_in(24)))
    assert send_session_reminders() == 1

    Session.objects.filter(pk=booking.session_id).update(starts_at=_in(30))
    assert send_session_reminders() == 1
    assert send_session_reminders() == 0
    assert reminders_of(booking).count() == 2
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

    with caplog.at_level(logging.INFO, logger="stalking_clinic.reminders"):
        assert send_session_reminders() == 0
    assert booking.reference in caplog.text
    assert "Nora" not in caplog.text
    assert reminders_of(booking).exists()
    assert send_session_reminders() == 0
    assert not mail.outbox


def test_the_email_is_plain_text_nothing_html_escaped():
    session = SessionFactory(
        starts_at=_in(20), course__title="Stalking & harassment", venue="Room <4>", online_link=""
    )
    BookingFactory(session=session)

    send_session_reminders()

    (email,) = mail.outbox
    assert email.subject.startswith("Training reminder: Stalking & harassment on ")
    assert "You are booked on Stalking & harassment." in email.body
    assert "Where: Room <4>\n\nIf you can no longer attend" in email.body
    assert "Join online" not in email.body
