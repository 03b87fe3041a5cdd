"""Overdue action reminders move to the one reminders table (stalking_clinic.reminders).

The old table held one row per action and due date, not per person. Each is copied as the rows
meetings/reminders.py now yields for it: one per person it would remind today (the owner, or the
owning agency's active members with an address), with the same kind and key, marked emailed when
the old row was made, or one row for nobody if there is nobody to tell. So no reminder already
sent goes again after the upgrade. Then the old table goes. Going back copies them the other way.
"""

import datetime
import zoneinfo

from django.conf import settings
from django.db import migrations
from django.utils.dateformat import format as date_format

KIND = "meetings.action_overdue"
# The action's page and reference as they were when this migration was written.
URL = "/meetings/actions/{}/"
REFERENCE = "ACT-{:05d}"


def _recipients(User, action, members):
    if action.owner_id is not None:
        owner = action.owner
        return [owner.pk] if owner.is_active and owner.email else []
    if action.owner_agency_id not in members:
        members[action.owner_agency_id] = list(
            User.objects.filter(agency_id=action.owner_agency_id, is_active=True)
            .exclude(email="")
            .order_by("pk")
            .values_list("pk", flat=True)
        )
    return members[action.owner_agency_id]


def to_core(apps, schema_editor):
    Old = apps.get_model("meetings", "ActionReminder")
    Reminder = apps.get_model("reminders", "Reminder")
    User = apps.get_model("accounts", "User")
    london = zoneinfo.ZoneInfo(settings.TIME_ZONE)
    members = {}
    batch = []
    for old in Old.objects.select_related("action__owner").order_by("pk").iterator(1000):
        reference = REFERENCE.format(old.action_id)
        row = {
            "kind": KIND,
            "key": f"action:{old.action_id}:{old.due_on:%Y-%m-%d}",
            "email": "",
            "event_at": datetime.datetime.combine(old.due_on, datetime.time.min, london),
            "message": f"{reference}: action overdue, due {date_format(old.due_on, 'l j F Y')}",
            "url": URL.format(old.action_id),
            "context": {"reference": reference, "due_on": old.due_on.isoformat()},
            "created_at": old.sent_at,
        }
        recipients = _recipients(User, old.action, members)
        if not recipients:
            batch.append(Reminder(**row))
        batch += [
            Reminder(**row, recipient_id=user_id, emailed_at=old.sent_at, attempts=1)
            for user_id in recipients
        ]
        if len(batch) >= 1000:
            Reminder.objects.bulk_create(batch)
            batch = []
    Reminder.objects.bulk_create(batch)


def to_meetings(apps, schema_editor):
    Old = apps.get_model("meetings", "ActionReminder")
    Reminder = apps.get_model("reminders", "Reminder")
    Action = apps.get_model("meetings", "Action")
    first = {}
    for key, created_at in Reminder.objects.filter(kind=KIND).values_list("key", "created_at"):
        _, action_id, due_on = key.split(":")
        at = first.setdefault((int(action_id), due_on), created_at)
        first[(int(action_id), due_on)] = min(at, created_at)
    existing = set(Action.objects.filter(pk__in={a for a, _ in first}).values_list("pk", flat=True))
    Old.objects.bulk_create(
        Old(action_id=action_id, due_on=datetime.date.fromisoformat(due_on), sent_at=at)
        for (action_id, due_on), at in sorted(first.items())
        if action_id in existing
    )
    Reminder.objects.filter(kind__startswith="meetings.").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("meetings", "0001_initial"),
        ("reminders", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(to_core, to_meetings),
        migrations.DeleteModel(name="ActionReminder"),
    ]
