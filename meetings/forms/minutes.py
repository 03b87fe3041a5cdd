"""The form of the minutes page: which copy of the minutes to produce, among those the user may
(``meetings.access.minutes_copies_for``)."""

from __future__ import annotations

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Button, Layout, Size
from django import forms


class MinutesCopyForm(forms.Form):
    agency = forms.ChoiceField(
        label="Which copy of the minutes?",
        widget=forms.RadioSelect,
        required=False,
        error_messages={"invalid_choice": "Choose a copy of the minutes"},
    )

    def __init__(self, *args, copies, **kwargs):
        super().__init__(*args, **kwargs)
        self.copies = copies
        self.fields["agency"].choices = copies
        if copies:
            self.fields["agency"].initial = copies[0][0]
        self.helper = FormHelper()
        self.helper.form_tag = False  # the page's own form posts to the .pdf address
        self.helper.legend_size = Size.MEDIUM
        self.helper.layout = Layout("agency", Button("download", "Download the minutes"))

    def clean_agency(self):
        # An empty value (the full minutes) skips ChoiceField's own check, as the field is not
        # required: check every value, so a partner cannot ask for the full copy by sending "".
        value = self.cleaned_data["agency"]
        if value not in {choice for choice, _ in self.copies}:
            raise forms.ValidationError("Choose a copy of the minutes")
        return value
