"""Overdue action reminders (meetings/reminders.py, made and emailed by the one reminders job): one
per action, due date and person, whoever runs the job how often; again after the due date changes
and passes; to the owner, or else the owning agency's members; no personal data in the email."""

import datetime
import logging

import pytest
from django.conf import settings
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from meetings.services.actions import action_update
from stalking_clinic.accounts.models import Role
from stalking_clinic.reminders import tasks
from stalking_clinic.reminders.models import Reminder
from stalking_clinic.reminders.services import send_reminders

from ..factories import AgencyFactory
from ..referrals.factories import CaseFactory
from .factories import ActionFactory

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)


def send_action_reminders(today: datetime.date | None = None) -> int:
    """The reminders job, run at 07:00 on ``today`` (default: now)."""
    if today is None:
        return send_reminders()
    return send_reminders(
        now=datetime.datetime.combine(
            today, datetime.time(7), tzinfo=timezone.get_current_timezone()
        )
    )


def reminders():
    return Reminder.objects.filter(kind="meetings.action_overdue")


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
    assert tasks.send_reminders.delay().get() == 0
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [owner.email]
    assert list(reminders().values_list("key", "recipient")) == [
        (f"action:{action.pk}:{today - DAY:%Y-%m-%d}", owner.pk)
    ]

    # A new due date, once it passes, gets a reminder of its own.
    not_late.delete()
    lead = make_user(Role.TACTICAL_LEAD, username="lead")
    action_update(action=action, by=lead, version=1, status="in_progress", due_on=today + DAY)
    assert send_action_reminders() == 0
    assert send_action_reminders(today=today + 2 * DAY) == 1
    assert send_action_reminders(today=today + 3 * DAY) == 0
    assert reminders().count() == 2
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


def test_an_inactive_owner_gets_no_email_and_it_is_not_sent_later(owner, probation, case, caplog):
    owner.is_active = False
    owner.save(update_fields=["is_active"])
    action = ActionFactory(
        case=case, owner_agency=probation, owner=owner, due_on=timezone.localdate() - DAY
    )
    with caplog.at_level(logging.WARNING, logger="stalking_clinic.reminders"):
        assert send_action_reminders() == 0
        assert send_action_reminders() == 0
    assert reminders().count() == 1
    assert not mail.outbox
    # Nobody to tell is logged by reference, once, and without the owner's name or address.
    nobody = [r.getMessage() for r in caplog.records if "nobody to email" in r.getMessage()]
    assert len(nobody) == 1 and action.reference in nobody[0]
    assert owner.email not in caplog.text and owner.last_name not in caplog.text
