"""The upgrade to the one reminders table: each app's migration copies its old reminder rows with
the keys its source now yields, so nothing already sent is sent again and nothing dismissed comes
back; going back copies them the other way."""

import datetime
import zoneinfo

import pytest
from django.core import mail
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from stalking_clinic.accounts.models import Role
from stalking_clinic.audit.roles import as_owner
from stalking_clinic.reminders.models import Reminder
from stalking_clinic.reminders.services import send_reminders

from ..factories import AgencyFactory
from ..meetings.factories import ActionFactory
from ..spo.factories import ApplicationFactory, HearingFactory
from ..training.factories import BookingFactory, SessionFactory

LONDON = zoneinfo.ZoneInfo("Europe/London")
NOW = datetime.datetime(2026, 6, 14, 7, 5, tzinfo=LONDON)
SENT = datetime.datetime(2026, 6, 13, 7, 5, tzinfo=LONDON)

BEFORE = [("spo", "0001_initial"), ("meetings", "0001_initial"), ("training", "0001_initial")]
AFTER = [
    ("spo", "0002_reminders_to_core"),
    ("meetings", "0002_reminders_to_core"),
    ("training", "0002_reminders_to_core"),
]


def _migrate(targets):
    # Migrations change the schema: the owner role's to do (README, "Database roles"), on the
    # default alias, through which the data migrations write.
    with as_owner(connection):
        executor = MigrationExecutor(connection)
        executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.fixture
def records(make_user):
    """What the old reminders were about: made with today's models, which the migrations
    leave alone."""
    solicitor = make_user(Role.SOLICITOR, username="sol")
    application = ApplicationFactory(solicitor=solicitor)
    agency = AgencyFactory(name="Probation")
    members = [make_user(Role.PARTNER, username=f"po{n}", agency=agency) for n in (1, 2)]
    return {
        "solicitor": solicitor,
        "application": application,
        "tomorrow": HearingFactory(
            application=application, starts_at=datetime.datetime(2026, 6, 15, 10, tzinfo=LONDON)
        ),
        "next_week": HearingFactory(
            application=application, starts_at=datetime.datetime(2026, 6, 20, 10, tzinfo=LONDON)
        ),
        "members": members,
        "owned": ActionFactory(
            owner_agency=agency, owner=members[0], due_on=datetime.date(2026, 6, 10)
        ),
        "agency_action": ActionFactory(owner_agency=agency, due_on=datetime.date(2026, 6, 12)),
        "booking": BookingFactory(
            session=SessionFactory(starts_at=datetime.datetime(2026, 6, 15, 9, tzinfo=LONDON))
        ),
    }


def _old_rows(old_apps, r):
    """The rows the old jobs had made by ``NOW``: the day-before hearing reminder emailed, the
    week-before one dismissed but never emailed (no address then), both actions' reminders and
    the booking's."""
    spo = old_apps.get_model("spo", "Reminder")
    spo.objects.create(
        kind="hearing_day",
        key=f"hearing:{r['tomorrow'].pk}:2026-06-15T10:00",
        application_id=r["application"].pk,
        due=r["tomorrow"].starts_at,
        message=f"{r['application'].reference}: full hearing at Court on Monday 15 June 2026",
        recipient_id=r["solicitor"].pk,
        created_at=SENT,
        emailed_at=SENT,
    )
    spo.objects.create(
        kind="hearing_week",
        key=f"hearing:{r['next_week'].pk}:2026-06-20T10:00",
        application_id=r["application"].pk,
        due=r["next_week"].starts_at,
        message=f"{r['application'].reference}: full hearing at Court on Saturday 20 June 2026",
        recipient_id=r["solicitor"].pk,
        created_at=SENT,
        dismissed_at=SENT,
    )
    action_reminder = old_apps.get_model("meetings", "ActionReminder")
    for action in (r["owned"], r["agency_action"]):
        action_reminder.objects.create(action_id=action.pk, due_on=action.due_on, sent_at=SENT)
    old_apps.get_model("training", "SessionReminder").objects.create(
        booking_id=r["booking"].pk, starts_at=r["booking"].session.starts_at, sent_at=SENT
    )


@pytest.mark.django_db(transaction=True)
def test_old_reminders_are_copied_with_the_keys_the_sources_now_yield(records):
    try:
        _old_rows(_migrate(BEFORE), records)
        _migrate(AFTER)

        copied = {(r.kind, r.recipient_id, r.email): r for r in Reminder.objects.all()}
        solicitor, (po1, po2) = records["solicitor"].pk, records["members"]
        booking = records["booking"]
        assert set(copied) == {
            ("spo.hearing_day", solicitor, ""),
            ("spo.hearing_week", solicitor, ""),
            ("meetings.action_overdue", po1.pk, ""),  # the owned action: its owner
            ("meetings.action_overdue", po2.pk, ""),  # the agency's action: each member
            ("training.session", None, booking.trainee.email),
        }
        assert Reminder.objects.filter(kind="meetings.action_overdue").count() == 3
        week = copied[("spo.hearing_week", solicitor, "")]
        assert week.dismissed_at == SENT and week.emailed_at is None
        assert week.url == f"/protection-orders/applications/{records['application'].pk}/"
        assert week.context == {"reference": records["application"].reference}

        # The job now makes nothing new, and emails nothing: all was sent, or dismissed.
        count = Reminder.objects.count()
        assert send_reminders(now=NOW) == 0
        assert Reminder.objects.count() == count
        assert not mail.outbox

        # Going back restores the old rows.
        old_apps = _migrate(BEFORE)
        spo = old_apps.get_model("spo", "Reminder")
        assert set(spo.objects.values_list("kind", "emailed_at", "dismissed_at")) == {
            ("hearing_day", SENT, None),
            ("hearing_week", None, SENT),
        }
        assert set(
            old_apps.get_model("meetings", "ActionReminder").objects.values_list(
                "action_id", "due_on", "sent_at"
            )
        ) == {
            (records["owned"].pk, records["owned"].due_on, SENT),
            (records["agency_action"].pk, records["agency_action"].due_on, SENT),
        }
        assert list(
            old_apps.get_model("training", "SessionReminder").objects.values_list(
                "booking_id", "starts_at"
            )
        ) == [(booking.pk, booking.session.starts_at)]
        assert not Reminder.objects.exists()
    finally:
        _migrate(AFTER)
