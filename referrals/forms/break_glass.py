"""The reason for opening a record outside one's own work (break-glass)."""

from django import forms

from stalking_clinic.service_forms import ServiceForm


class BreakGlassForm(ServiceForm):
    submit_label = "Continue"

    reason = forms.CharField(
        label="Why do you need to open it?",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=500,
        help_text="For example: the victim rang and their ISAC is away; the court asked about an "
        "earlier case. Your reason is kept in the audit log with your name.",
        error_messages={"required": "Enter why you need to open it."},
    )

    def clean_reason(self):
        reason = self.cleaned_data["reason"].strip()
        if not reason:
            raise forms.ValidationError("Enter why you need to open it.")
        return reason
