"""Forms about breaches: recording a breach of an order, and its outcome."""

from __future__ import annotations

from django import forms

from stalking_clinic.date_fields import DayMonthYearField
from stalking_clinic.service_forms import ServiceForm, VersionField

from ..models import Breach


class BreachForm(ServiceForm):
    occurred_on = DayMonthYearField(
        label="Date of the breach", error_messages={"required": "Enter the date of the breach."}
    )
    description = forms.CharField(
        label=Breach._meta.get_field("description").verbose_name,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Enter what happened."},
    )
    log_ref = forms.CharField(
        label="Log or crime reference (optional)", max_length=40, required=False
    )
    action_taken = forms.CharField(
        label="Action taken (optional)", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    submit_label = "Record the breach"


class BreachOutcomeForm(ServiceForm):
    outcome = forms.CharField(
        label="Outcome",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="For example, charged; convicted; no further action and why.",
        error_messages={"required": "Enter the outcome."},
    )
    outcome_recorded_on = DayMonthYearField(
        label="Date of the outcome", error_messages={"required": "Enter the date of the outcome."}
    )
    version = VersionField()

    submit_label = "Save the outcome"

    @staticmethod
    def initial_for(breach: Breach) -> dict:
        return {
            "outcome": breach.outcome,
            "outcome_recorded_on": breach.outcome_recorded_on,
            "version": breach.version,
        }
