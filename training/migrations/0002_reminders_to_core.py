"""Session reminders move to the one reminders table (stalking_clinic.reminders).

Each row (one per booking and start time) is copied as the row training/reminders.py now yields
for it: the same kind and key, to the trainee's address (or to nobody, with none), marked emailed
when the old row was made. So no reminder already sent goes again after the upgrade. Then the old
table goes. Going back copies them the other way.
"""

import datetime

from django.db import migrations
from django.utils import timezone
from django.utils.dateformat import format as date_format

KIND = "training.session"
# The trainee's page and the booking's reference as they were when this migration was written.
URL = "/training/my-training/"
REFERENCE = "BKG-{:06d}"


def _key(booking_id, starts_at):
    return f"booking:{booking_id}:{starts_at.astimezone(datetime.UTC):%Y-%m-%dT%H:%MZ}"


def to_core(apps, schema_editor):
    Old = apps.get_model("training", "SessionReminder")
    Reminder = apps.get_model("reminders", "Reminder")
    rows = {}
    for old in (
        Old.objects.select_related("booking__trainee", "booking__session__course")
        .order_by("pk")
        .iterator(1000)
    ):
        session, email = old.booking.session, old.booking.trainee.email
        key = _key(old.booking_id, old.starts_at)
        ends_at = old.starts_at + datetime.timedelta(minutes=session.course.duration_minutes)
        starts = timezone.localtime(old.starts_at)
        rows.setdefault(
            key,
            Reminder(
                kind=KIND,
                key=key,
                email=email,
                event_at=old.starts_at,
                message=f"{session.course.title}, {date_format(starts, 'D j M Y H:i')}"[:200],
                url=URL,
                context={
                    "reference": REFERENCE.format(old.booking_id),
                    "course": session.course.title,
                    "starts_at": old.starts_at.isoformat(),
                    "ends_at": ends_at.isoformat(),
                    "venue": session.venue,
                    "online_link": session.online_link,
                },
                created_at=old.sent_at,
                emailed_at=old.sent_at if email else None,
                attempts=1 if email else 0,
            ),
        )
    Reminder.objects.bulk_create(rows.values(), batch_size=1000)


def to_training(apps, schema_editor):
    Old = apps.get_model("training", "SessionReminder")
    Reminder = apps.get_model("reminders", "Reminder")
    Booking = apps.get_model("training", "Booking")
    first = {}
    for key, starts_at, created_at in Reminder.objects.filter(kind=KIND).values_list(
        "key", "event_at", "created_at"
    ):
        booking_id = int(key.split(":")[1])
        at = first.setdefault((booking_id, starts_at), created_at)
        first[(booking_id, starts_at)] = min(at, created_at)
    existing = set(
        Booking.objects.filter(pk__in={b for b, _ in first}).values_list("pk", flat=True)
    )
    Old.objects.bulk_create(
        Old(booking_id=booking_id, starts_at=starts_at, sent_at=at)
        for (booking_id, starts_at), at in sorted(first.items())
        if booking_id in existing
    )
    Reminder.objects.filter(kind__startswith="training.").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("training", "0001_initial"),
        ("reminders", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(to_core, to_training),
        migrations.DeleteModel(name="SessionReminder"),
    ]
