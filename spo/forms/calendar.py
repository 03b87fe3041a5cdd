"""The calendar page's filters: hearings or deadlines, one court, and (hidden, kept from the
page's links) the list view and the week shown."""

from __future__ import annotations

from django import forms

from stalking_clinic.filter_forms import FilterForm

from ..selectors.calendar import Show


class CalendarFilterForm(FilterForm):
    show = forms.ChoiceField(label="Show", required=False, choices=Show.choices)
    court = forms.ChoiceField(label="Court", required=False)
    view = forms.CharField(required=False, widget=forms.HiddenInput)
    week = forms.DateField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, courts=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["court"].choices = [("", "Any court"), *((c, c) for c in courts)]
