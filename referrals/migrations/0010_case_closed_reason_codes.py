from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("referrals", "0009_case_life_history")]

    operations = [
        migrations.AlterField(
            model_name="case",
            name="closed_reason",
            field=models.CharField(
                blank=True,
                choices=[
                    ("no_clinic_role", "No further action by the clinic"),
                    ("advice_given", "Advice given to the officer"),
                    ("transferred", "Transferred to another force"),
                    ("duplicate", "Duplicate of another case"),
                    ("victim_disengaged", "Victim disengaged"),
                    ("risk_reduced", "Risk reduced"),
                    ("convicted_managed", "Suspect convicted and managed"),
                ],
                max_length=20,
            ),
        ),
        migrations.AddIndex(
            model_name="case",
            index=models.Index(
                fields=["owner", "status", "risk_review_on"], name="case_owner_review_idx"
            ),
        ),
        migrations.AddIndex(
            model_name="criminaljusticeoutcome",
            index=models.Index(fields=["kind", "on"], name="cj_outcome_kind_on_idx"),
        ),
    ]
