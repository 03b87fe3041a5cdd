"""Forms about conditions: adding a prohibition or requirement the order would impose, and
rewording one."""

from __future__ import annotations

from crispy_forms_gds.layout import Field
from django import forms

from stalking_clinic.service_forms import ServiceForm, VersionField

from ..models import Condition


class ConditionAddForm(ServiceForm):
    kind = forms.ChoiceField(
        label="Prohibition or requirement",
        choices=Condition.Kind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose prohibition or requirement."},
    )
    text = forms.CharField(
        label="Wording",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="As it should read in the order, for example: Not to contact Jane Smith "
        "directly or indirectly.",
        error_messages={"required": "Enter the wording of the condition."},
    )

    submit_label = "Add"

    def layout_fields(self):
        return [Field.radios("kind", inline=True), "text"]


class ConditionEditForm(ServiceForm):
    text = ConditionAddForm.base_fields["text"]
    version = VersionField()

    submit_label = "Save"

    @staticmethod
    def initial_for(condition: Condition) -> dict:
        return {"text": condition.text, "version": condition.version}
