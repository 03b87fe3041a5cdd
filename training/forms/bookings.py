"""Forms of the booking pages: choosing whom to book onto a session, choosing a team (for the
coordinator and tactical lead, who may book anyone), and cancelling a booking."""

from __future__ import annotations

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Button, Layout, Size
from django import forms

from stalking_clinic.service_forms import ServiceForm, VersionField

from ..models import Team, Trainee


class BookForm(forms.Form):
    """The officers to book (checkboxes drawn by the page, with each one's standing) and
    whether anyone without a place joins the waiting list."""

    trainees = forms.ModelMultipleChoiceField(
        label="Officers to book",
        queryset=Trainee.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": "Choose at least one officer to book.",
            "invalid_choice": "Choose officers from the list.",
            "invalid_pk_value": "Choose officers from the list.",
        },
    )
    waiting_list = forms.BooleanField(
        label="Put anyone without a place on the waiting list", required=False
    )

    def __init__(self, *args, trainees, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["trainees"].queryset = trainees

    def chosen(self) -> list[Trainee]:
        """The officers chosen, in the order the page lists them (who gets a place first)."""
        return list(self.cleaned_data["trainees"])

    def chosen_ids(self) -> set[int]:
        """The ids ticked in the input, valid or not (to keep the selection on a refusal)."""
        if not self.is_bound:
            return set()
        return {int(value) for value in self.data.getlist("trainees") if value.isdigit()}


class _TeamChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.area.name}: {obj.name}"


class TeamChoiceForm(forms.Form):
    """Which team's officers to list (the coordinator and tactical lead may book anyone)."""

    team = _TeamChoiceField(
        label="Team",
        required=False,
        queryset=Team.objects.select_related("area").order_by("area__name", "name"),
        empty_label="Choose a team",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_method = "get"
        self.helper.label_size = Size.SMALL
        self.helper.layout = Layout("team", Button("show", "Show officers"))


class BookingCancelForm(ServiceForm):
    reason = forms.CharField(
        label="Reason (optional)",
        required=False,
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="For example, on leave, or a court date.",
        error_messages={"max_length": "Reason must be 300 characters or fewer."},
    )
    version = VersionField()

    submit_label = "Cancel the booking"
