"""The compliance page's filter (by area and by mandatory course)."""

from __future__ import annotations

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Button, Layout, Size
from django import forms

from ..models import Area, Course


class ComplianceFilterForm(forms.Form):
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
        self.helper = FormHelper()
        self.helper.form_method = "get"
        self.helper.label_size = Size.SMALL
        self.helper.layout = Layout("area", "course", Button("apply", "Apply filters"))

    def choice(self, name: str) -> int | None:
        """The chosen id, or None for all (or for a choice not on the list)."""
        if not self.is_bound:
            return None
        self.is_valid()
        return self.cleaned_data.get(name)
