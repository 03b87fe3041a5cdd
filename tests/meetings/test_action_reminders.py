"""Overdue action reminders: one per action and due date, whoever runs the job how often; again
after the due date changes and passes; to the owner, or else the owning agency's members; no
personal data in the email; a second worker does nothing while the first holds the lock."""

import datetime

import psycopg2
import pytest
from django.conf import settings
from django.core import mail
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from meetings.models import ActionReminder
from meetings.reminders import send_action_reminders
from meetings.services.actions import action_update
from meetings.tasks import send_action_reminders_task
from stalking_clinic.accounts.models import Role
from stalking_clinic.locks import Lock

from ..factories import AgencyFactory
from ..referrals.factories import CaseFactory
from .factories import ActionFactory

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)


@pytest.fixture
def probation():
    return AgencyFactory(name="Probation")


@pytest.fixture
def owner(make_user, probation):
    return make_user(Role.PARTNER, username="po1", agency=probation, email="po1@example.invalid")


@pytest.fixture
def case():
    return CaseFactory(risk_level="high")


def test_overdue_action_is_reminded_once_per_due_date(owner, probation, case, make_user):
    today = timezone.localdate()
    action = ActionFactory(case=case, owner_agency=probation, owner=owner, due_on=today - DAY)
    not_late = ActionFactory(case=case, owner_agency=probation, owner=owner, due_on=today)
    ActionFactory(case=case, owner_agency=probation, owner=owner, due_on=today - DAY, status="done")

    assert send_action_reminders() == 1
    assert send_action_reminders() == 0
    assert send_action_reminders_task.delay().get() == 0
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [owner.email]
    assert list(ActionReminder.objects.values_list("action_id", "due_on")) == [
        (action.pk, today - DAY)
    ]

    # A new due date, once it passes, gets a reminder of its own.
    not_late.delete()
    lead = make_user(Role.TACTICAL_LEAD, username="lead")
    action_update(action=action, by=lead, version=1, status="in_progress", due_on=today + DAY)
    assert send_action_reminders() == 0
    assert send_action_reminders(today=today + 2 * DAY) == 1
    assert send_action_reminders(today=today + 3 * DAY) == 0
    assert ActionReminder.objects.count() == 2
    assert len(mail.outbox) == 2


def test_the_email_holds_a_reference_due_date_and_link_but_no_personal_data(owner, probation, case):
    today = timezone.localdate()
    action = ActionFactory(
        case=case,
        owner_agency=probation,
        owner=owner,
        due_on=today - 3 * DAY,
        description=f"Visit {case.victim.first_name} {case.victim.last_name} at home",
    )
    send_action_reminders()
    (email,) = mail.outbox
    text = email.subject + email.body
    assert action.reference in email.subject
    assert f"{(today - 3 * DAY).day} " in email.body
    assert settings.SITE_URL + reverse("meetings:action_detail", args=[action.pk]) in email.body
    for personal in (
        case.victim.first_name,
        case.victim.last_name,
        case.suspects.first().first_name,
        owner.first_name,
        owner.last_name,
        case.reference,
        probation.name,
        "Visit",
    ):
        assert personal not in text, personal


def test_with_no_owner_the_agencys_active_members_with_an_email_are_told(
    make_user, probation, case
):
    first = make_user(Role.PARTNER, username="a1", agency=probation, email="a1@example.invalid")
    second = make_user(Role.PARTNER, username="a2", agency=probation, email="a2@example.invalid")
    make_user(Role.PARTNER, username="a3", agency=probation, email="")
    make_user(
        Role.PARTNER, username="a4", agency=probation, email="a4@example.invalid", is_active=False
    )
    make_user(Role.PARTNER, username="other", email="other@example.invalid")  # another agency
    ActionFactory(case=case, owner_agency=probation, due_on=timezone.localdate() - DAY)

    assert send_action_reminders() == 2
    # One message each: members do not see each other's addresses.
    assert sorted(m.to[0] for m in mail.outbox) == [first.email, second.email]
    assert all(len(m.to) == 1 for m in mail.outbox)


def test_an_inactive_owner_gets_no_email_and_it_is_not_sent_later(owner, probation, case):
    owner.is_active = False
    owner.save(update_fields=["is_active"])
    ActionFactory(case=case, owner_agency=probation, owner=owner, due_on=timezone.localdate() - DAY)
    assert send_action_reminders() == 0
    assert ActionReminder.objects.count() == 1
    assert send_action_reminders() == 0
    assert not mail.outbox


def test_a_second_worker_does_nothing_while_the_first_holds_the_lock(owner, probation, case):
    ActionFactory(case=case, owner_agency=probation, owner=owner, due_on=timezone.localdate() - DAY)
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
            cursor.execute("SELECT pg_advisory_lock(%s)", [int(Lock.ACTION_REMINDERS)])
        assert send_action_reminders() == 0
        assert not ActionReminder.objects.exists()
        with other.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_unlock(%s)", [int(Lock.ACTION_REMINDERS)])
    finally:
        other.close()
    assert send_action_reminders() == 1


def test_beat_runs_the_job_daily():
    entry = settings.CELERY_BEAT_SCHEDULE["send-action-reminders"]
    assert entry["task"] == "meetings.tasks.send_action_reminders_task"
    assert send_action_reminders_task.name == entry["task"]
