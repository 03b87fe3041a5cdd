"""Rejected rows keep only what the coordinator is shown (line number and reason): empty the raw
lines kept so far, names and all, before the next migration drops the column."""

from django.db import migrations


def forget_raw_lines(apps, schema_editor):
    apps.get_model("referrals", "RejectedRow").objects.exclude(raw="").update(raw="")


class Migration(migrations.Migration):
    dependencies = [("referrals", "0011_case_kept_closed")]

    operations = [migrations.RunPython(forget_raw_lines, migrations.RunPython.noop)]
