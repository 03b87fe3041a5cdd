"""Protection order reminders move to the one reminders table (stalking_clinic.reminders).

Each row is copied with the kind namespaced ("hearing_day" becomes "spo.hearing_day") and the
same key and recipient that spo/reminders.py now yields, so a reminder already made is not made
(or emailed) again, and one dismissed stays dismissed. Then the old table goes. Going back copies
them the other way.
"""

from django.db import migrations

# The application's page and reference as they were when this migration was written.
URL = "/protection-orders/applications/{}/"
REFERENCE = "SPO-{:05d}"


def to_core(apps, schema_editor):
    Old = apps.get_model("spo", "Reminder")
    Reminder = apps.get_model("reminders", "Reminder")
    batch = []
    for old in Old.objects.order_by("pk").iterator(chunk_size=1000):
        batch.append(
            Reminder(
                kind=f"spo.{old.kind}",
                key=old.key,
                recipient_id=old.recipient_id,
                email="",
                event_at=old.due,
                message=old.message,
                url=URL.format(old.application_id),
                context={"reference": REFERENCE.format(old.application_id)},
                created_at=old.created_at,
                emailed_at=old.emailed_at,
                attempts=1 if old.emailed_at else 0,
                dismissed_at=old.dismissed_at,
            )
        )
        if len(batch) == 1000:
            Reminder.objects.bulk_create(batch)
            batch = []
    Reminder.objects.bulk_create(batch)


def _application_ids(apps, keys):
    """The application each key's event belongs to, read from the event: "hearing:12:…"."""
    ids = {}
    for kind, model, path in (
        ("hearing", "Hearing", "application_id"),
        ("order", "Order", "application_id"),
        ("notification", "Notification", "order__application_id"),
        ("breach", "Breach", "order__application_id"),
    ):
        pks = {int(key.split(":")[1]) for key in keys if key.startswith(f"{kind}:")}
        rows = apps.get_model("spo", model).objects.filter(pk__in=pks).values_list("pk", path)
        ids.update({(kind, pk): application_id for pk, application_id in rows})
    return {
        key: ids[(key.split(":")[0], int(key.split(":")[1]))]
        for key in keys
        if (key.split(":")[0], int(key.split(":")[1])) in ids
    }


def to_spo(apps, schema_editor):
    Old = apps.get_model("spo", "Reminder")
    Reminder = apps.get_model("reminders", "Reminder")
    rows = Reminder.objects.filter(kind__startswith="spo.", recipient__isnull=False)
    applications = _application_ids(apps, set(rows.values_list("key", flat=True)))
    Old.objects.bulk_create(
        Old(
            kind=row.kind.removeprefix("spo."),
            key=row.key,
            application_id=applications[row.key],
            due=row.event_at,
            message=row.message,
            recipient_id=row.recipient_id,
            created_at=row.created_at,
            emailed_at=row.emailed_at,
            dismissed_at=row.dismissed_at,
        )
        for row in rows.order_by("pk")
        if row.key in applications
    )
    Reminder.objects.filter(kind__startswith="spo.").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("spo", "0001_initial"),
        ("reminders", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(to_core, to_spo),
        migrations.DeleteModel(name="Reminder"),
    ]
