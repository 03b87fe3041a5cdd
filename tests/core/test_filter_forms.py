"""List filters (stalking_clinic/filter_forms.py): sent by GET, laid out from the fields the form
ends up with."""

from django import forms
from django.template import Context, Template

from stalking_clinic.filter_forms import FilterForm


class _Filters(FilterForm):
    status = forms.ChoiceField(label="Status", required=False, choices=[("", "Any")])
    agency = forms.CharField(label="Agency", required=False)

    def __init__(self, *args, show_agency=False, **kwargs):
        super().__init__(*args, **kwargs)
        if not show_agency:
            del self.fields["agency"]


def _render(form):
    return Template("{% load crispy_forms_tags %}{% crispy form %}").render(Context({"form": form}))


def test_filters_go_in_the_address_with_one_apply_button():
    html = _render(_Filters(show_agency=True))
    assert 'method="get"' in html
    assert html.count('name="apply"') == 1 and "Apply filters" in html
    assert 'name="status"' in html and 'name="agency"' in html


def test_the_layout_follows_fields_a_form_removed():
    html = _render(_Filters())
    assert 'name="status"' in html and 'name="agency"' not in html


def test_a_secondary_filter_names_its_button():
    class _Show(FilterForm):
        apply_label, secondary = "Show", True
        show = forms.CharField(required=False)

    html = _render(_Show())
    assert "govuk-button--secondary" in html and "Show" in html and "Apply filters" not in html
