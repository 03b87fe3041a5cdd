"""The application pack's form: whom the pack is disclosed to, and why, for the audit log."""

from __future__ import annotations

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Button, Layout, Size
from django import forms


class PackRecipientForm(forms.Form):
    recipient = forms.CharField(
        label="Who is the pack for?",
        max_length=200,
        help_text="Recorded in the audit log with the download, for example: "
        "Gloucestershire Magistrates' Court",
    )
    justification = forms.CharField(
        label="Why is it being disclosed? (optional)",
        max_length=500,
        required=False,
        help_text="For example: first hearing on 3 June",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False  # the page's own form posts to the .pdf address
        self.helper.label_size = Size.SMALL
        self.helper.layout = Layout("recipient", "justification", Button("download", "Download"))
