"""The review of a closed case's record: keep it (with the next review date) or dispose of it."""

from crispy_forms_gds.layout import Field, Size
from django import forms

from stalking_clinic.date_fields import DayMonthYearField
from stalking_clinic.service_forms import ServiceForm, VersionField

from ..models import RetentionReview


class RecordReviewForm(ServiceForm):
    """For ``record_review``."""

    decision = forms.ChoiceField(
        label="What is decided about the record?",
        choices=RetentionReview.Decision.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose whether the record is kept or disposed of."},
    )
    reason = forms.CharField(
        label="Why",
        widget=forms.Textarea,
        help_text="For example: the suspect is still a risk to the victim; no further risk and "
        "no offence recorded. Do not name anyone: this reason is kept after disposal.",
        error_messages={"required": "Enter why."},
    )
    next_review_on = DayMonthYearField(
        label="If kept, review it again on", required=False, help_text="For example, 1/6/2030"
    )
    version = VersionField()

    submit_label = "Record the decision"

    def layout_fields(self):
        return [
            Field.radios("decision", legend_size=Size.SMALL),
            Field.textarea("reason", label_size=Size.SMALL, rows=4),
            "next_review_on",
            "version",
        ]
