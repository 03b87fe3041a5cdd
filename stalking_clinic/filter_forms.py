"""What every list's filters share: sent in the address (GET), so a filtered list can be
bookmarked, with small labels and legends, every field in order (or ``layout_fields``) and an
"Apply filters" button."""

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Button, Layout, Size
from django import forms
from django.utils.functional import cached_property


class FilterForm(forms.Form):
    """A list's filters. Nothing typed here may name a person: the address ends up in logs (a
    search by name is posted instead, as the triage queue's and the officer list's are)."""

    apply_label = "Apply filters"
    # A secondary button, for a filter that sits beside the page's main action.
    secondary = False

    @cached_property
    def helper(self) -> FormHelper:
        # Built when the form is shown, after a subclass has set its fields up.
        helper = FormHelper()
        helper.form_method = "get"
        helper.label_size = Size.SMALL
        helper.legend_size = Size.SMALL
        button = (Button.secondary if self.secondary else Button)("apply", self.apply_label)
        helper.layout = Layout(*self.layout_fields(), button)
        return helper

    def layout_fields(self) -> list:
        return list(self.fields)
