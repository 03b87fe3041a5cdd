"""The compliance page's filter (by area and by mandatory course)."""

from __future__ import annotations

from django import forms

from stalking_clinic.filter_forms import FilterForm

from ..models import Area, Course


class ComplianceFilterForm(FilterForm):
    """Choices come from lists the page has already read, so the filter adds no query."""

    area = forms.TypedChoiceField(label="Area", required=False, coerce=int, empty_value=None)
    course = forms.TypedChoiceField(
        label="Mandatory course", required=False, coerce=int, empty_value=None
    )

    def __init__(self, *args, areas: list[Area], courses: list[Course], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"].choices = [("", "All areas")] + [(a.pk, a.name) for a in areas]
        self.fields["course"].choices = [("", "All mandatory courses")] + [
            (c.pk, c.title) for c in courses
        ]

    def choice(self, name: str) -> int | None:
        """The chosen id, or None for all (or for a choice not on the list)."""
        if not self.is_bound:
            return None
        self.is_valid()
        return self.cleaned_data.get(name)
