"""Forms of the CPD log: an entry (new or changed) and deleting one."""

from __future__ import annotations

import decimal

from crispy_forms_gds.layout import Field, Fluid
from django import forms
from django.core.exceptions import NON_FIELD_ERRORS

from stalking_clinic.date_fields import DayMonthYearField
from stalking_clinic.service_forms import ServiceForm, VersionField

from ..models import CPDEntry
from .widgets import number_box


class CPDEntryForm(ServiceForm):
    done_on = DayMonthYearField(
        label="Date",
        error_messages={"required": "Enter the date of the activity."},
    )
    kind = forms.ChoiceField(
        label="Kind of activity",
        choices=CPDEntry.Kind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the kind of activity."},
    )
    title = forms.CharField(
        label="What it was",
        max_length=200,
        help_text="For example, Understanding fixated behaviour (webinar)",
        error_messages={"required": "Enter what the activity was."},
    )
    provider = forms.CharField(
        label="Provider (optional)",
        max_length=150,
        required=False,
        help_text="Who ran it, for example, Suzy Lamplugh Trust",
    )
    hours = forms.DecimalField(
        label="Hours",
        max_digits=4,
        decimal_places=1,
        min_value=decimal.Decimal("0.5"),
        max_value=decimal.Decimal("100"),
        help_text="Between 0.5 and 100, to one decimal place, for example, 1.5",
        widget=number_box(4, decimal=True),
        error_messages={
            "required": "Enter the hours, for example, 1.5",
            "invalid": "Enter the hours as a number, for example, 1.5",
            "min_value": "Enter the hours, between 0.5 and 100.",
            "max_value": "Enter the hours, between 0.5 and 100.",
            "max_decimal_places": "Enter the hours to one decimal place, for example, 1.5",
            "max_digits": "Enter the hours, between 0.5 and 100.",
            "max_whole_digits": "Enter the hours, between 0.5 and 100.",
        },
    )
    reflection = forms.CharField(
        label="Reflection (optional)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="What you learnt and how you will use it in your work. Nothing that "
        "identifies a victim or a case.",
    )

    submit_label = "Add to my CPD log"

    def layout_fields(self):
        return [
            "done_on",
            Field.radios("kind"),
            Field.text("title", field_width=Fluid.TWO_THIRDS),
            Field.text("provider", field_width=Fluid.TWO_THIRDS),
            "hours",
            "reflection",
        ]


class CPDEntryEditForm(CPDEntryForm):
    version = VersionField()

    submit_label = "Save the entry"

    def layout_fields(self):
        return [*super().layout_fields(), "version"]

    @staticmethod
    def initial_for(entry: CPDEntry) -> dict:
        return {
            "done_on": entry.done_on,
            "kind": entry.kind,
            "title": entry.title,
            "provider": entry.provider,
            "hours": entry.hours,
            "reflection": entry.reflection,
            "version": entry.version,
        }


class CPDDeleteForm(ServiceForm):
    """The confirmation page's form: only the version seen (its button is drawn in the page)."""

    version = VersionField()

    def clean(self):
        cleaned = super().clean()
        if self.has_error(NON_FIELD_ERRORS):
            # Only the hidden version can be wrong: say where to go back to.
            self._errors[NON_FIELD_ERRORS] = self.error_class(
                ["This page is out of date. Go back to your CPD log and try again."],
                error_class="nonfield",
            )
        return cleaned

    def error_links(self) -> list[tuple[str, str]]:
        """The error summary's lines: the page has no input to go to."""
        return [("", error) for error in self.non_field_errors()]
