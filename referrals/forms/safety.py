"""Forms for the victim's safety plan and the victim's voice (ISACs, and coordinators for the plan).

Dates are typed as day/month/year in one box with a hint, as on the referral form.
"""

from crispy_forms_gds.layout import Field, Fluid, Size
from django import forms

from stalking_clinic.date_fields import DayMonthYearField
from stalking_clinic.service_forms import ServiceForm, VersionField

from ..models import SafetyAction


class SafetyActionForm(ServiceForm):
    """An action for ``safety_action_add``."""

    description = forms.CharField(
        label="What needs to be done",
        widget=forms.Textarea,
        help_text="For example, fit a video doorbell; change the locks; agree a code word.",
        error_messages={"required": "Enter what needs to be done."},
    )
    owner = forms.CharField(
        label="Who will do it",
        max_length=120,
        help_text="For example, the victim, the ISAC, the police, housing.",
        error_messages={
            "required": "Enter who will do it, for example the victim, the ISAC or the police."
        },
    )
    due_date = DayMonthYearField(label="Due date (optional)", required=False)

    submit_label = "Add to the safety plan"

    def layout_fields(self):
        return [
            Field.textarea("description", label_size=Size.SMALL, rows=3),
            Field.text("owner", label_size=Size.SMALL, field_width=Fluid.ONE_HALF),
            "due_date",
        ]


class SafetyActionEditForm(SafetyActionForm):
    """A change to an action for ``safety_action_update``, at the version the user saw."""

    status = forms.ChoiceField(
        label="Status",
        choices=SafetyAction.Status.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the status of the action."},
    )
    version = VersionField()

    submit_label = "Save changes"

    def layout_fields(self):
        return [
            *super().layout_fields(),
            Field.radios("status", legend_size=Size.SMALL),
            "version",
        ]

    @classmethod
    def initial_for(cls, action: SafetyAction) -> dict:
        return {
            "description": action.description,
            "owner": action.owner,
            "due_date": action.due_date,
            "status": action.status,
            "version": action.version,
        }


class VictimVoiceForm(ServiceForm):
    """The victim's voice for ``victim_voice_record``."""

    account = forms.CharField(
        label="The victim's account, in their words",
        widget=forms.Textarea,
        help_text="What has happened and how it affects them. Use their words where you can.",
        error_messages={"required": "Enter the victim's account, in their words."},
    )
    wishes = forms.CharField(
        label="What the victim wants to happen",
        required=False,
        widget=forms.Textarea,
    )
    concerns = forms.CharField(
        label="The victim's concerns and fears",
        required=False,
        widget=forms.Textarea,
    )

    submit_label = "Save the victim's voice"

    def layout_fields(self):
        return [
            Field.textarea("account", label_size=Size.SMALL, rows=8),
            Field.textarea("wishes", label_size=Size.SMALL, rows=4),
            Field.textarea("concerns", label_size=Size.SMALL, rows=4),
        ]
