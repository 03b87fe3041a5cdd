from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Button, Layout, Size
from django import forms
from django.contrib.auth import get_user_model

from stalking_clinic.date_fields import DayMonthYearField

from .models import AuditEvent


class AuditSearchForm(forms.Form):
    user = forms.CharField(
        label="User",
        required=False,
        help_text="Username, e.g. coordinator",
        max_length=150,
    )
    record_type = forms.ChoiceField(label="Record type", required=False)
    record_id = forms.CharField(label="Record id", required=False, max_length=64)
    action = forms.ChoiceField(
        label="What was done",
        required=False,
        choices=[("", "Any"), *AuditEvent.Action.choices],
    )
    date_from = DayMonthYearField(label="From", required=False, example="25/11/2026")
    date_to = DayMonthYearField(label="To", required=False, example="30/11/2026")

    def __init__(self, *args, record_types=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["record_type"].choices = [("", "Any")] + [(t, t) for t in record_types]
        self.helper = FormHelper()
        self.helper.form_method = "get"
        self.helper.label_size = Size.SMALL
        self.helper.layout = Layout(*self.fields, Button("submit", "Apply filters"))

    def clean_user(self):
        username = self.cleaned_data["user"].strip()
        if username and not get_user_model().objects.filter(username=username).exists():
            raise forms.ValidationError(f"There is no user called {username!r}.")
        return username

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and end < start:
            self.add_error("date_to", "The end date must be the same as or after the start date.")
        return cleaned
