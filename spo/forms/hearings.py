"""Forms about hearings: adding one, and changing it or recording its outcome. The date and time
asked for become the service's ``starts_at`` (``StartsAtMixin``)."""

from __future__ import annotations

from crispy_forms_gds.layout import Field, Fluid
from django import forms

from stalking_clinic.date_fields import (
    DayMonthYearField,
    StartsAtMixin,
    TwentyFourHourTimeField,
)
from stalking_clinic.service_forms import ServiceForm, VersionField

from ..models import Hearing


class HearingForm(StartsAtMixin, ServiceForm):
    kind = forms.ChoiceField(
        label="Hearing",
        choices=[("", "Choose"), *Hearing.Kind.choices],
        error_messages={"required": "Choose the kind of hearing."},
    )
    court = forms.CharField(
        label="Court",
        max_length=120,
        error_messages={"required": "Enter the court."},
    )
    date = DayMonthYearField(
        label="Date", error_messages={"required": "Enter the date of the hearing."}
    )
    time = TwentyFourHourTimeField(
        label="Time",
        error_messages={"required": "Enter the time of the hearing."},
    )
    notes = forms.CharField(label="Notes", required=False, widget=forms.Textarea(attrs={"rows": 3}))

    submit_label = "Add the hearing"

    def layout_fields(self):
        return [
            "kind",
            Field.text("court", field_width=Fluid.TWO_THIRDS),
            "date",
            "time",
            "notes",
            *self._end(),
        ]

    def _end(self):
        return []


class HearingEditForm(HearingForm):
    outcome = forms.ChoiceField(label="Outcome", choices=Hearing.Outcome.choices, required=False)
    version = VersionField()

    submit_label = "Save the hearing"

    def _end(self):
        return ["outcome", "version"]

    @staticmethod
    def initial_for(hearing: Hearing) -> dict:
        return {
            "kind": hearing.kind,
            "court": hearing.court,
            **StartsAtMixin.initial_date_and_time(hearing.starts_at),
            "outcome": hearing.outcome,
            "notes": hearing.notes,
            "version": hearing.version,
        }
