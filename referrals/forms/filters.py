"""What every list filter of the referrals area shares (the case list, the triage queue, the
findings): sent in the address (GET), so a filtered list can be bookmarked, with small labels,
every field in order and an "Apply filters" button."""

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Button, Layout, Size
from django import forms


class FilterForm(forms.Form):
    """A list's filters. Nothing typed here may name a person: the address ends up in logs (the
    queue's name search is posted instead, ``forms.triage.QueueSearchForm``)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_method = "get"
        self.helper.label_size = Size.SMALL
        self.helper.layout = Layout(*self.fields, Button("apply", "Apply filters"))
