"""Forms of the champions register: its filter, appointing a champion, changing an entry."""

from __future__ import annotations

from crispy_forms_gds.layout import Field
from django import forms

from stalking_clinic.date_fields import DayMonthYearField
from stalking_clinic.filter_forms import FilterForm
from stalking_clinic.service_forms import ServiceForm, VersionField

from ..models import Area, Champion, Trainee, normalise_collar_number


class ChampionFilterForm(FilterForm):
    area = forms.ModelChoiceField(
        label="Area", required=False, queryset=Area.objects.none(), empty_label="All areas"
    )
    level = forms.ChoiceField(
        label="Level",
        required=False,
        choices=[("", "Any level"), *Champion.Level.choices],
        widget=forms.RadioSelect,
    )
    stood_down = forms.BooleanField(label="Include champions who stood down", required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = Area.objects.order_by("name")

    def layout_fields(self):
        return ["area", Field.radios("level", small=True), Field.checkbox("stood_down", small=True)]


_LEVEL = forms.ChoiceField(
    label="Level",
    choices=Champion.Level.choices,
    widget=forms.RadioSelect,
    error_messages={"required": "Choose the champion's level."},
)


class ChampionNewForm(ServiceForm):
    """The officer is found by collar number: the officer list runs to hundreds of names."""

    collar_number = forms.CharField(
        label="Officer's collar number",
        max_length=20,
        help_text="As on the force's officer list, for example, PC1234",
        widget=forms.TextInput(attrs={"class": "govuk-input govuk-input--width-10"}),
        error_messages={"required": "Enter the officer's collar number."},
    )
    level = _LEVEL
    appointed_on = DayMonthYearField(
        label="Date appointed",
        error_messages={
            "required": "Enter the date they were appointed.",
        },
    )
    notes = forms.CharField(
        label="Notes (optional)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="For example, specialist knowledge or languages. Nothing about cases.",
    )

    submit_label = "Add to the register"
    # The service takes the officer the collar number names (``trainee``).
    not_for_service = ("collar_number",)

    def layout_fields(self):
        return ["collar_number", Field.radios("level"), "appointed_on", "notes"]

    def clean_collar_number(self):
        number = normalise_collar_number(self.cleaned_data["collar_number"])
        trainee = Trainee.objects.select_related("team__area").filter(collar_number=number).first()
        if trainee is None:
            raise forms.ValidationError(
                f"No officer on the officer list has collar number {number}. Check the number, "
                "or import the latest officer list."
            )
        self.cleaned_data["trainee"] = trainee
        return number


class ChampionEditForm(ServiceForm):
    level = _LEVEL
    notes = forms.CharField(
        label="Notes (optional)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="For example, specialist knowledge or languages. Nothing about cases.",
    )
    stood_down_on = DayMonthYearField(
        label="Date they stood down (optional)",
        required=False,
        help_text="Leave blank while they are a champion. For example, 27/3/2026",
    )
    version = VersionField()

    submit_label = "Save the entry"

    def layout_fields(self):
        return [
            Field.radios("level"),
            "stood_down_on",
            "notes",
            "version",
        ]

    @staticmethod
    def initial_for(champion: Champion) -> dict:
        return {
            "level": champion.level,
            "notes": champion.notes,
            "stood_down_on": champion.stood_down_on,
            "version": champion.version,
        }
