"""Forms of the officer list pages: the upload of the force's officer list, the officer list's
filter and search, and the filter of a supervisor's team."""

from __future__ import annotations

from crispy_forms_gds.layout import Field
from django import forms

from stalking_clinic.filter_forms import FilterForm
from stalking_clinic.service_forms import ServiceForm

from ..models import Area, JobRole, Team

MAX_UPLOAD_MB = 10


class OfficerImportForm(ServiceForm):
    """The upload; ``training.services.roster.officer_list_import`` reads and checks the file."""

    submit_label = "Upload and import"

    file = forms.FileField(
        label="Officer list (CSV file)",
        help_text=(
            "The first line names the columns: collar number, name, team, area, role, "
            "supervisor (the supervisor's collar number) and, optionally, email."
        ),
        error_messages={
            "required": "Select the officer list CSV file.",
            "empty": "The selected file is empty.",
        },
    )
    full_list = forms.BooleanField(
        label="This file is the whole officer list",
        required=False,
        help_text="Officers not in the file are marked as no longer on the list. Their training "
        "history is kept.",
    )

    def layout_fields(self):
        return ["file", Field.checkbox("full_list", small=True)]

    def service_kwargs(self) -> dict:
        kwargs = super().service_kwargs()
        return {**kwargs, "filename": kwargs["file"].name}

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith((".csv", ".txt")):
            raise forms.ValidationError("The selected file must be a CSV file (.csv).")
        if upload.size == 0:
            raise forms.ValidationError("The selected file is empty.")
        if upload.size > MAX_UPLOAD_MB * 1024 * 1024:
            raise forms.ValidationError(
                f"The selected file must be smaller than {MAX_UPLOAD_MB} MB."
            )
        return upload


class _TeamChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.name} ({obj.area.name})"


class OfficerFilterForm(FilterForm):
    """Filters by ids and flags only (they go in the address); names are searched by POST."""

    STATUS = [
        ("active", "On the officer list"),
        ("inactive", "No longer on the list"),
        ("all", "All"),
    ]

    area = forms.ModelChoiceField(
        label="Area", required=False, queryset=Area.objects.all(), empty_label="Any"
    )
    team = _TeamChoiceField(
        label="Team",
        required=False,
        queryset=Team.objects.select_related("area"),
        empty_label="Any",
    )
    role = forms.ModelChoiceField(
        label="Role", required=False, queryset=JobRole.objects.all(), empty_label="Any"
    )
    status = forms.ChoiceField(label="Status", required=False, choices=STATUS)
    needs_training = forms.BooleanField(
        label="Needs training only",
        required=False,
        help_text="Not trained, or due a refresh, on a mandatory course",
    )

    def layout_fields(self):
        return ["area", "team", "role", "status", Field.checkbox("needs_training", small=True)]


class OfficerSearchForm(forms.Form):
    """Posted and kept in the session, never put in the address (which servers log)."""

    search = forms.CharField(
        label="Search by name or collar number",
        max_length=100,
        error_messages={"required": "Enter a name or collar number."},
    )


class TeamFilterForm(FilterForm):
    apply_label = "Show"
    secondary = True

    SHOW = [("", "Everyone in the team"), ("needs_booking", "Only those who need booking")]

    show = forms.ChoiceField(
        label="Show", required=False, choices=SHOW, initial="", widget=forms.RadioSelect
    )

    def layout_fields(self):
        return [Field.radios("show", small=True, inline=True)]
