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

    def error_links(self) -> list[tuple[str, str]]:
        """The error summary's lines: (the id of the input to go to, the message)."""
        errors = [*self.non_field_errors(), *self["trainees"].errors]
        return [("trainees", error) for error in errors]

    def service_kwargs(self) -> dict:
        """What ``bookings_create`` takes: the officers chosen, in the order the page lists them
        (who gets a place first), and whether the rest join the waiting list."""
        return {
            "trainees": list(self.cleaned_data["trainees"]),
            "waiting_list": self.cleaned_data["waiting_list"],
        }

    def ticked(self, *, asked: str = "") -> set[int]:
        """The ids to show ticked: those ticked in the input, valid or not (to keep the selection
        on a refusal); before any input, the officer ``asked`` for (their id, from their
        record's "Book" link)."""
        if self.is_bound:
            return {int(value) for value in self.data.getlist("trainees") if value.isdigit()}
        return {int(asked)} if asked.isdigit() else set()


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

    def chosen_team(self) -> Team | None:
        """The team chosen, or None (none chosen, or one not on the list)."""
        return self.cleaned_data["team"] if self.is_valid() else None


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
