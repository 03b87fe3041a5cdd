"""Forms of meeting actions: the action lists' filters, creating an action from a case discussed
(``meetings.services.actions.action_create``) and recording an update on one
(``action_update``, which takes the ``version`` the user saw, so that the second of two people
updating at once is told rather than silently overwritten)."""

from __future__ import annotations

from crispy_forms_gds.layout import Field
from django import forms

from stalking_clinic.accounts.models import Agency, User
from stalking_clinic.date_fields import DayMonthYearField
from stalking_clinic.filter_forms import FilterForm
from stalking_clinic.service_forms import ServiceForm, VersionField

from ..models import Action


class ActionFilterForm(FilterForm):
    """The status, due date and (for whoever follows every agency's) agency shown in a list."""

    STATUS_CHOICES = [
        ("", "Any"),
        ("open", "Open (including overdue)"),
        ("overdue", "Overdue"),
        ("done", "Done"),
    ]
    status = forms.ChoiceField(
        label="Status", required=False, choices=STATUS_CHOICES, widget=forms.RadioSelect
    )
    due_before = DayMonthYearField(label="Due before", required=False)
    agency = forms.ModelChoiceField(
        label="Agency", required=False, queryset=Agency.objects.all(), empty_label="All agencies"
    )

    def __init__(self, *args, show_agency: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if not show_agency:
            del self.fields["agency"]

    def layout_fields(self):
        return [Field.radios("status"), *list(self.fields)[1:]]


class _OwnerChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.display_name} ({obj.agency.name})"


class ActionNewForm(ServiceForm):
    description = forms.CharField(
        label="What is to be done",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Enter what is to be done."},
    )
    owner_agency = forms.ModelChoiceField(
        label="Agency that owns it",
        queryset=Agency.objects.all(),
        empty_label="Choose",
        error_messages={"required": "Choose the agency that owns the action."},
    )
    owner = _OwnerChoiceField(
        label="Person (optional)",
        queryset=User.objects.none(),
        required=False,
        empty_label="Nobody in particular: the agency",
        help_text="Someone who works for the agency chosen above.",
    )
    due_on = DayMonthYearField(label="Due date", error_messages={"required": "Enter the due date."})

    submit_label = "Create the action"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = (
            User.objects.filter(is_active=True, agency__isnull=False)
            .select_related("agency")
            .order_by("agency__name", "first_name", "last_name", "username")
        )


class ActionUpdateForm(ServiceForm):
    status = forms.ChoiceField(
        label="Status",
        choices=Action.Status.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the action's status."},
    )
    note = forms.CharField(
        label="Update note",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="What has been done, or why the status or due date changes.",
    )
    due_on = DayMonthYearField(label="New due date (optional)", required=False, example="27/3/2027")
    version = VersionField()

    submit_label = "Save the update"

    def layout_fields(self):
        return [Field.radios("status", inline=True), "note", "due_on", "version"]

    @staticmethod
    def initial_for(action: Action) -> dict:
        return {"status": action.status, "version": action.version}
