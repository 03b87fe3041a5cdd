"""Forms of a case's life: closing it, reopening it, and recording a criminal justice outcome. Each
parses what its service takes; the services check what each choice needs."""

from crispy_forms_gds.layout import ConditionalQuestion, ConditionalRadios, Field, Fluid, Size
from django import forms

from stalking_clinic.date_fields import DayMonthYearField
from stalking_clinic.service_forms import ServiceForm, VersionField

from ..models import CriminalJusticeOutcome, Offence
from ..retention import retention_for
from ..services.case_status import MANUAL_CLOSE_REASONS
from ..services.outcomes import TYPED_KINDS

Kind = CriminalJusticeOutcome.Kind


class CloseCaseForm(ServiceForm):
    """For ``case_close``: why, the outcome of the clinic's work, and the record's review date
    (shown with its default, which may be changed)."""

    reason = forms.ChoiceField(
        label="Why is the case being closed?",
        choices=[(reason.value, reason.label) for reason in MANUAL_CLOSE_REASONS],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose why the case is being closed."},
    )
    outcome = forms.CharField(
        label="Outcome of the clinic's work",
        widget=forms.Textarea,
        help_text="What the clinic did and what changed for the victim, for example: safety plan "
        "in place, suspect charged with s.2A stalking, victim supported by the ISAC to trial.",
        error_messages={"required": "Enter the outcome of the clinic's work on the case."},
    )
    review_on = DayMonthYearField(
        label="Review the closed record on",
        error_messages={"required": "Enter the date to review the closed record."},
    )
    version = VersionField()

    submit_label = "Close the case"

    def __init__(self, *args, case, **kwargs):
        self._init_kwargs = {"case": case}
        self.retention = retention_for(case)
        kwargs.setdefault("initial", {})
        kwargs["initial"].setdefault("review_on", self.retention.review_on)
        super().__init__(*args, **kwargs)
        self.fields["review_on"].help_text = (
            "When the record is looked at again, to keep it or dispose of it (Management of "
            f"Police Information). {self.retention.group.label} ({self.retention.why}) is "
            f"reviewed after {self.retention.years} years: "
            f"{self.retention.review_on:%-d/%-m/%Y}."
        )

    def layout_fields(self):
        return [
            Field.radios("reason", legend_size=Size.SMALL),
            Field.textarea("outcome", label_size=Size.SMALL, rows=5),
            "review_on",
            "version",
        ]


class ReopenCaseForm(ServiceForm):
    """For ``case_reopen``: why."""

    reason = forms.CharField(
        label="Why is the case being reopened?",
        widget=forms.Textarea,
        help_text="For example, a new referral from the officer; new incidents in the police logs.",
        error_messages={"required": "Enter why the case is being reopened."},
    )
    version = VersionField()

    submit_label = "Reopen the case"

    def layout_fields(self):
        return [Field.textarea("reason", label_size=Size.SMALL, rows=4), "version"]


class KeepClosedForm(ServiceForm):
    """For ``case_keep_closed``: why the case stays closed."""

    reason = forms.CharField(
        label="Why does the case stay closed?",
        widget=forms.Textarea,
        help_text="For example, the new incident is already dealt with under another case.",
        error_messages={"required": "Enter why the case stays closed."},
    )
    version = VersionField()

    submit_label = "Keep the case closed"

    def layout_fields(self):
        return [Field.textarea("reason", label_size=Size.SMALL, rows=4), "version"]


class OutcomeForm(ServiceForm):
    """For ``outcome_record``: which outcome, its date, the offence (for a crime recorded, a
    charge, a caution or a conviction) and the reason for no further action."""

    kind = forms.ChoiceField(
        label="Outcome",
        choices=[(kind.value, kind.label) for kind in TYPED_KINDS],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the outcome."},
    )
    nfa_reason = forms.CharField(
        label="Reason for no further action",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="For example, evidential difficulties; victim does not support a prosecution.",
    )
    on = DayMonthYearField(
        label="Date of the outcome",
        error_messages={"required": "Enter the date of the outcome."},
    )
    offence = forms.ChoiceField(
        label="Offence",
        required=False,
        choices=Offence.choices,
        widget=forms.RadioSelect,
        help_text="Needed for a crime recorded, a charge, a caution or a conviction.",
    )
    offence_other = forms.CharField(label="Which offence", required=False, max_length=200)
    detail = forms.CharField(
        label="Details (optional)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="For example, the court, the sentence, the terms of a restraining order.",
    )

    submit_label = "Record the outcome"

    def layout_fields(self):
        return [
            ConditionalRadios(
                "kind",
                *[
                    ConditionalQuestion(kind.label, "nfa_reason")
                    if kind == Kind.NFA
                    else kind.label
                    for kind in TYPED_KINDS
                ],
            ),
            "on",
            ConditionalRadios(
                "offence",
                *[
                    ConditionalQuestion(
                        offence.label, Field.text("offence_other", field_width=Fluid.TWO_THIRDS)
                    )
                    if offence == Offence.OTHER
                    else offence.label
                    for offence in Offence
                ],
            ),
            Field.textarea("detail", label_size=Size.SMALL, rows=3),
        ]
