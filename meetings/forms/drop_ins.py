"""The form of a drop-in session: the advice given to an officer who came, about a case if there
is one (``meetings.services.drop_ins.drop_in_advice_record``)."""

from __future__ import annotations

from crispy_forms_gds.layout import Field, Fluid
from django import forms

from stalking_clinic.accounts.models import User
from stalking_clinic.service_forms import ServiceForm

from .fields import CaseChoiceField, UserChoiceField, officers, open_cases, text_box


class AdviceForm(ServiceForm):
    officer = UserChoiceField(
        label="Officer who came",
        queryset=User.objects.none(),
        required=False,
        empty_label="Choose",
    )
    officer_name = forms.CharField(
        label="Or the officer's name and collar number, if not listed",
        max_length=150,
        required=False,
    )
    case = CaseChoiceField(label="About the case (optional)", required=False, empty_label="None")
    question = text_box("What the officer asked (optional)", rows=3)
    advice = forms.CharField(
        label="Advice given",
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="Shows on the case's timeline.",
        error_messages={"required": "Enter the advice given."},
    )

    submit_label = "Record the advice"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["officer"].queryset = officers()
        self.fields["case"].queryset = open_cases()

    def layout_fields(self):
        return [
            "officer",
            Field.text("officer_name", field_width=Fluid.TWO_THIRDS),
            "case",
            "question",
            "advice",
        ]

    def clean(self):
        cleaned = super().clean()
        missing = not cleaned.get("officer") and not cleaned.get("officer_name")
        if missing and "officer" not in self._errors:
            self.add_error("officer", "Choose the officer, or enter their name.")
        return cleaned
