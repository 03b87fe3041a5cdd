"""The referral form: officers, champions, ISACs and partners refer; the coordinator refers from a
police log finding with the same form, pre-filled."""

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import HTML, Button, Field, Fieldset, Layout, Size
from django import forms

from stalking_clinic.date_fields import DayMonthYearField

from ..models import Area, QuestionSet, Referral, Relationship, RiskAssessment


def _refs(value: str) -> list[str]:
    return [part.strip().upper() for part in value.replace("\n", ",").split(",") if part.strip()]


class ReferralForm(forms.Form):
    crime_refs = forms.CharField(
        label="Crime references",
        required=False,
        help_text="Separate several with commas, for example CR/2026/0000123",
    )
    log_refs = forms.CharField(
        label="Log references",
        required=False,
        help_text="For example INC-2026-00000123",
    )
    officer_in_case = forms.CharField(
        label="Officer in the case",
        required=False,
        help_text="Collar number and name",
        max_length=120,
    )
    area = forms.ChoiceField(label="Policing area", choices=[("", "Choose an area"), *Area.choices])

    victim_ref = forms.CharField(
        label="Person reference", required=False, max_length=20, help_text="For example P100234"
    )
    victim_first_name = forms.CharField(label="First name", max_length=100)
    victim_last_name = forms.CharField(label="Last name", max_length=100)
    victim_dob = DayMonthYearField(label="Date of birth", required=False, example="27/3/1990")

    suspect_known = forms.ChoiceField(
        label="Is the suspect known?",
        choices=[("yes", "Yes"), ("no", "No")],
        widget=forms.RadioSelect,
        initial="yes",
    )
    suspect_ref = forms.CharField(label="Person reference", required=False, max_length=20)
    suspect_first_name = forms.CharField(label="First name", required=False, max_length=100)
    suspect_last_name = forms.CharField(label="Last name", required=False, max_length=100)
    suspect_dob = DayMonthYearField(label="Date of birth", required=False, example="27/3/1990")
    relationship = forms.ChoiceField(
        label="Relationship of the suspect to the victim",
        choices=[("", "Choose"), *Relationship.choices],
    )

    fixated = forms.CharField(
        label="Fixated",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="What shows the suspect is fixated on the victim?",
    )
    obsessive = forms.CharField(
        label="Obsessive",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="What is obsessive about the behaviour?",
    )
    unwanted = forms.CharField(
        label="Unwanted",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="What has the suspect done that the victim does not want?",
    )
    repeated = forms.CharField(
        label="Repeated",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="How often, over what period?",
    )
    requests = forms.MultipleChoiceField(
        label="What are you asking the clinic for?",
        choices=Referral.Request.choices,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.sdash = QuestionSet.objects.filter(instrument="sdash", is_current=True).first()
        sdash_fields = []
        if self.sdash:
            for question in self.sdash.questions:
                name = f"sdash_{question['key']}"
                self.fields[name] = forms.ChoiceField(
                    label=question["text"],
                    required=False,
                    choices=RiskAssessment.Answer.choices,
                    widget=forms.RadioSelect,
                )
                sdash_fields.append(Field.radios(name, legend_size=Size.SMALL, inline=True))
        self.helper = FormHelper()
        self.helper.layout = Layout(
            Fieldset(
                "crime_refs",
                "log_refs",
                "officer_in_case",
                "area",
                legend="The crime or incident",
                legend_size=Size.MEDIUM,
            ),
            Fieldset(
                "victim_ref",
                "victim_first_name",
                "victim_last_name",
                "victim_dob",
                legend="Victim",
                legend_size=Size.MEDIUM,
            ),
            Fieldset(
                Field.radios("suspect_known", legend_size=Size.SMALL, inline=True),
                "suspect_ref",
                "suspect_first_name",
                "suspect_last_name",
                "suspect_dob",
                "relationship",
                legend="Suspect",
                legend_size=Size.MEDIUM,
            ),
            Fieldset(
                HTML(
                    '<p class="govuk-body">Describe what happened against FOUR: behaviour that '
                    "is fixated, obsessive, unwanted and repeated.</p>"
                ),
                "fixated",
                "obsessive",
                "unwanted",
                "repeated",
                legend="What happened",
                legend_size=Size.MEDIUM,
            ),
            Fieldset(
                HTML(
                    '<p class="govuk-body">Only if you completed the S-DASH with the victim. '
                    "Leave it blank otherwise.</p>"
                ),
                *sdash_fields,
                legend="S-DASH answers",
                legend_size=Size.MEDIUM,
            )
            if sdash_fields
            else HTML(""),
            Field.checkboxes("requests", legend_size=Size.MEDIUM),
            Button("submit", "Send referral"),
        )

    def clean_crime_refs(self):
        return _refs(self.cleaned_data["crime_refs"])

    def clean_log_refs(self):
        return _refs(self.cleaned_data["log_refs"])

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("suspect_known") == "yes":
            for name, label in (
                ("suspect_first_name", "first name"),
                ("suspect_last_name", "last name"),
            ):
                if not cleaned.get(name) and not cleaned.get("suspect_ref"):
                    self.add_error(name, f"Enter the suspect's {label}, or their person reference.")
        answered = [k for k in self.fields if k.startswith("sdash_") and cleaned.get(k)]
        if answered and self.sdash and len(answered) != len(self.sdash.questions):
            for key in self.fields:
                if key.startswith("sdash_") and not cleaned.get(key):
                    self.add_error(key, "Answer every S-DASH question, or leave them all blank.")
        return cleaned

    def service_kwargs(self) -> dict:
        """The cleaned data shaped for ``referral_submit_with_people`` (and ``finding_refer``)."""
        data = self.cleaned_data

        def person(prefix):
            return {
                "person_ref": data[f"{prefix}_ref"],
                "first_name": data[f"{prefix}_first_name"],
                "last_name": data[f"{prefix}_last_name"],
                "date_of_birth": data[f"{prefix}_dob"],
            }

        return {
            "victim": person("victim"),
            "suspect": person("suspect") if data["suspect_known"] == "yes" else None,
            "relationship": data["relationship"],
            "area": data["area"],
            "fixated": data["fixated"],
            "obsessive": data["obsessive"],
            "unwanted": data["unwanted"],
            "repeated": data["repeated"],
            "crime_refs": data["crime_refs"],
            "log_refs": data["log_refs"],
            "officer_in_case": data["officer_in_case"],
            "requests": data["requests"],
            "sdash_answers": self.sdash_answers(),
        }

    def sdash_answers(self) -> dict:
        return {
            key.removeprefix("sdash_"): value
            for key, value in self.cleaned_data.items()
            if key.startswith("sdash_") and value
        }
