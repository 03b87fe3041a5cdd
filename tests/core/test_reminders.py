"""The one reminders job (stalking_clinic.reminders): what the registered sources yield is made
once, in one statement; the one rule for a failed send (retried with backoff, given up after a
fixed number of attempts, never sent twice once sent, logged without an address); one lock; one
beat entry. Each app's own reminders are tested under tests/<app>/."""

import datetime
import logging
import smtplib
import zoneinfo

import pytest
from django.conf import settings
from django.core import mail

from stalking_clinic.locks import Lock
from stalking_clinic.reminders import registry, services, tasks
from stalking_clinic.reminders.models import Reminder
from stalking_clinic.reminders.registry import Due
from stalking_clinic.reminders.services import (
    MAX_ATTEMPTS,
    RETRY_AFTER,
    reminders_create,
    send_reminders,
)

pytestmark = pytest.mark.django_db

LONDON = zoneinfo.ZoneInfo("Europe/London")
T0 = datetime.datetime(2026, 6, 1, 7, 5, tzinfo=LONDON)
HOUR = datetime.timedelta(hours=1)


def _due(n=1, **changes):
    values = {
        "kind": "spo.hearing_day",
        "key": f"hearing:{n}:2026-06-02T10:00",
        "event_at": datetime.datetime(2026, 6, 2, 10, tzinfo=LONDON),
        "message": f"SPO-{n:05d}: full hearing at Court on Tuesday 2 June 2026 at 10:00",
        "url": f"/protection-orders/applications/{n}/",
        "context": {"reference": f"SPO-{n:05d}"},
    }
    return Due(**{**values, **changes})


@pytest.fixture
def user(make_user):
    return make_user(username="reminded", email="reminded@example.invalid")


@pytest.fixture
def only_source(monkeypatch):
    """Replace every app's source with one yielding ``dues`` (a list the test may change)."""
    dues = []
    monkeypatch.setattr(registry, "_sources", [lambda now: list(dues)])
    return dues


class FailingMail:
    """``send_mail`` that fails while ``failing`` is true, counting the tries."""

    def __init__(self, error=None):
        self.error = error or ConnectionRefusedError(111, "Connection refused")
        self.failing = True
        self.tries = 0

    def __call__(self, subject, body, from_email, recipient_list):
        self.tries += 1
        if self.failing:
            raise self.error
        mail.outbox.append(mail.EmailMessage(subject, body, from_email, recipient_list))
        return 1


@pytest.fixture
def failing_mail(monkeypatch):
    fake = FailingMail()
    monkeypatch.setattr(services, "send_mail", fake)
    return fake


# --- Making reminders ---------------------------------------------------------------------------


def test_what_a_source_yields_is_made_once_and_emailed_once(only_source, user):
    only_source.append(_due(recipient_id=user.pk))

    assert send_reminders(now=T0) == 1
    assert send_reminders(now=T0 + HOUR) == 0
    assert tasks.send_reminders.delay().get() == 0

    reminder = Reminder.objects.get()
    assert (reminder.kind, reminder.key, reminder.recipient) == (
        "spo.hearing_day",
        "hearing:1:2026-06-02T10:00",
        user,
    )
    assert reminder.emailed_at == T0 and reminder.attempts == 1
    (email,) = mail.outbox
    assert email.to == [user.email]


def test_the_new_reminders_are_inserted_in_one_statement(user, django_assert_num_queries):
    dues = [_due(n, recipient_id=user.pk) for n in range(1, 6)]
    with django_assert_num_queries(1):
        assert reminders_create(dues, now=T0) == 5
    with django_assert_num_queries(1):
        assert reminders_create([*dues, _due(6, recipient_id=user.pk)], now=T0) == 1


def test_one_reminder_per_recipient_and_per_address(only_source, make_user, user):
    other = make_user(username="other", email="other@example.invalid")
    only_source += [
        _due(recipient_id=user.pk),
        _due(recipient_id=other.pk),
        _due(email="trainee@example.invalid"),
        _due(email="trainee@example.invalid"),  # yielded twice: made once
    ]

    assert send_reminders(now=T0) == 3
    assert send_reminders(now=T0) == 0
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        [user.email, other.email, "trainee@example.invalid"]
    )


def test_a_reminder_with_nobody_to_tell_is_logged_once_by_reference(only_source, caplog):
    only_source.append(_due())

    with caplog.at_level(logging.WARNING, logger="stalking_clinic.reminders"):
        assert send_reminders(now=T0) == 0
        assert send_reminders(now=T0 + HOUR) == 0

    assert Reminder.objects.count() == 1
    (record,) = [r for r in caplog.records if "nobody to email" in r.getMessage()]
    assert "SPO-00001" in record.getMessage()


def test_a_kind_is_namespaced_by_its_app_and_needs_a_reference():
    with pytest.raises(ValueError, match=r"app\.name"):
        _due(kind="hearing_day")
    with pytest.raises(ValueError, match="reference"):
        _due(context={})


# --- The rule for a failed send -----------------------------------------------------------------


def test_a_failed_send_is_retried_at_a_later_run(only_source, user, failing_mail, caplog):
    only_source.append(_due(recipient_id=user.pk))

    with caplog.at_level(logging.WARNING, logger="stalking_clinic.reminders"):
        assert send_reminders(now=T0) == 0
    reminder = Reminder.objects.get()
    assert reminder.emailed_at is None
    assert reminder.attempts == 1
    assert reminder.next_attempt_at == T0 + RETRY_AFTER
    assert f"Reminder {reminder.pk} (spo.hearing_day, SPO-00001)" in caplog.text
    assert user.email not in caplog.text

    failing_mail.failing = False
    assert send_reminders(now=T0 + RETRY_AFTER) == 1
    reminder.refresh_from_db()
    assert reminder.emailed_at == T0 + RETRY_AFTER
    assert reminder.attempts == 2
    assert len(mail.outbox) == 1


def test_retries_wait_twice_as_long_after_each_failure(only_source, user, failing_mail):
    only_source.append(_due(recipient_id=user.pk))

    send_reminders(now=T0)  # fails: next after 1 hour
    send_reminders(now=T0 + RETRY_AFTER - datetime.timedelta(minutes=1))
    assert failing_mail.tries == 1
    send_reminders(now=T0 + RETRY_AFTER)  # fails: next after 2 hours more
    assert failing_mail.tries == 2
    send_reminders(now=T0 + 2 * RETRY_AFTER)
    send_reminders(now=T0 + 3 * RETRY_AFTER - datetime.timedelta(minutes=1))
    assert failing_mail.tries == 2
    send_reminders(now=T0 + 3 * RETRY_AFTER)  # fails: next after 4 hours more
    assert failing_mail.tries == 3
    assert Reminder.objects.get().next_attempt_at == T0 + 7 * RETRY_AFTER


def test_a_send_failing_every_time_is_given_up_and_logged_as_an_error(
    only_source, user, monkeypatch, caplog
):
    # An SMTP error's text can hold the address: the log names the error's type only.
    fake = FailingMail(smtplib.SMTPRecipientsRefused({user.email: (550, b"No such user")}))
    monkeypatch.setattr(services, "send_mail", fake)
    only_source.append(_due(recipient_id=user.pk))

    with caplog.at_level(logging.WARNING, logger="stalking_clinic.reminders"):
        for day in range(MAX_ATTEMPTS + 2):
            send_reminders(now=T0 + datetime.timedelta(days=day))

    assert fake.tries == MAX_ATTEMPTS
    reminder = Reminder.objects.get()
    assert reminder.gave_up_at == T0 + datetime.timedelta(days=MAX_ATTEMPTS - 1)
    assert reminder.emailed_at is None
    errors = [r for r in caplog.records if r.levelno == logging.ERROR]
    assert len(errors) == 1 and "given up" in errors[0].getMessage()
    assert "SMTPRecipientsRefused" in errors[0].getMessage()
    assert user.email not in caplog.text


def test_a_reminder_sent_is_never_sent_again(only_source, user):
    only_source.append(_due(recipient_id=user.pk))
    send_reminders(now=T0)
    # Even if a later run were to find it waiting (it is marked after the send, on its own).
    Reminder.objects.update(next_attempt_at=T0 - HOUR)

    for hours in range(1, 4):
        assert send_reminders(now=T0 + hours * HOUR) == 0
    assert len(mail.outbox) == 1


def test_with_no_address_a_reminder_waits_without_counting_a_failure(only_source, user):
    user.email = ""
    user.save(update_fields=["email"])
    only_source.append(_due(recipient_id=user.pk))

    assert send_reminders(now=T0) == 0
    assert Reminder.objects.get().attempts == 0

    user.email = "found@example.invalid"
    user.save(update_fields=["email"])
    assert send_reminders(now=T0 + HOUR) == 1
    assert mail.outbox[0].to == ["found@example.invalid"]


def test_a_reminder_dismissed_before_it_goes_is_not_emailed(only_source, user, failing_mail):
    only_source.append(_due(recipient_id=user.pk))
    send_reminders(now=T0)  # fails
    Reminder.objects.update(dismissed_at=T0)
    failing_mail.failing = False

    assert send_reminders(now=T0 + 2 * HOUR) == 0
    assert failing_mail.tries == 1


# --- One job, one lock, one beat entry ----------------------------------------------------------


def test_a_second_worker_does_nothing_while_the_first_holds_the_lock(
    only_source, user, lock_held_elsewhere
):
    only_source.append(_due(recipient_id=user.pk))
    with lock_held_elsewhere(Lock.REMINDERS):
        assert send_reminders(now=T0) == 0
        assert not Reminder.objects.exists()

    assert send_reminders(now=T0) == 1


def test_beat_runs_the_one_reminders_job_hourly():
    reminder_jobs = {
        name: entry
        for name, entry in settings.CELERY_BEAT_SCHEDULE.items()
        if "reminder" in entry["task"]
    }
    assert list(reminder_jobs) == ["send-reminders"]
    entry = reminder_jobs["send-reminders"]
    assert (
        entry["task"]
        == tasks.send_reminders.name
        == "stalking_clinic.reminders.tasks.send_reminders"
    )
    assert entry["schedule"].hour == set(range(24))


def test_every_app_registers_its_source():
    sources = {source.__module__ for source in registry._sources}
    assert sources == {
        "spo.reminders",
        "meetings.reminders",
        "training.reminders",
        "referrals.reminders",
    }
