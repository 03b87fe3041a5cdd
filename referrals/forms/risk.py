"""The form of a decision on a case's risk: its level, reasons and review date, at the version of
the case the user saw."""

from crispy_forms_gds.layout import Field, Size
from django import forms
from django.utils.dateformat import format as date_format

from stalking_clinic.date_fields import DayMonthYearField
from stalking_clinic.service_forms import ServiceForm, VersionField

from ..models import Case, RiskLevel
from ..services.risk import default_review_on


class RiskDecisionForm(ServiceForm):
    """A decision for ``case_risk_decide``."""

    level = forms.ChoiceField(
        label="Risk level",
        choices=RiskLevel.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the risk level."},
    )
    reasons = forms.CharField(
        label="Reasons for your decision",
        widget=forms.Textarea,
        help_text="What the decision rests on: the assessments, what is known of the suspect, "
        "what the victim says. Shown on the case page and its timeline.",
        error_messages={"required": "Give the reasons for your decision."},
    )
    review_on = DayMonthYearField(label="Review the risk by (optional)", required=False)
    version = VersionField()

    submit_label = "Save the decision"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Nothing chosen beforehand: lowering or keeping the level is a choice made knowingly.
        defaults = "; ".join(
            f"{label.lower()}, {date_format(default_review_on(level), 'j F Y')}"
            for level, label in RiskLevel.choices
        )
        self.fields[
            "review_on"
        ].help_text = (
            f"For example, 27/3/2027. Left empty, the usual review date for the level: {defaults}."
        )

    def layout_fields(self):
        return [
            Field.radios("level", legend_size=Size.SMALL),
            Field.textarea("reasons", label_size=Size.SMALL, rows=5),
            "review_on",
            "version",
        ]

    @classmethod
    def initial_for(cls, case: Case) -> dict:
        return {"version": case.version}
