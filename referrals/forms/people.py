"""The form for a victim's or suspect's recorded details."""

from __future__ import annotations

import datetime

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Button, Field, Fieldset, Fixed, Fluid, Layout, Size
from django import forms

from stalking_clinic.date_fields import DayMonthYearField
from stalking_clinic.service_forms import OUT_OF_DATE, VersionCheckMixin

from ..models import Person

_ALIAS_MAX = Person._meta.get_field("aliases").base_field.max_length


def _label(name: str) -> str:
    label = str(Person._meta.get_field(name).verbose_name)
    return label[:1].upper() + label[1:]


def _help(name: str) -> str:
    return str(Person._meta.get_field(name).help_text)


class PersonForm(VersionCheckMixin, forms.Form):
    """A person's details for ``person_update``, at the ``updated_at`` the user saw (a person's
    version: see ``Person.version``)."""

    version_field = "updated_at"

    person_ref = forms.CharField(
        label=_label("person_ref"), required=False, max_length=20, help_text=_help("person_ref")
    )
    first_name = forms.CharField(
        label="First name", max_length=100, error_messages={"required": "Enter the first name."}
    )
    last_name = forms.CharField(
        label="Last name", max_length=100, error_messages={"required": "Enter the last name."}
    )
    aliases = forms.CharField(
        label="Other names they use or are known by",
        required=False,
        widget=forms.Textarea,
        help_text="One name per line: earlier names, nicknames, online usernames.",
    )
    date_of_birth = DayMonthYearField(label="Date of birth", required=False, example="27/3/1990")
    address = forms.CharField(label="Address", required=False, widget=forms.Textarea)
    safe_contact = forms.CharField(
        label=_label("safe_contact"),
        required=False,
        widget=forms.Textarea,
        help_text=_help("safe_contact"),
    )
    interpreter_language = forms.CharField(
        label=_label("interpreter_language"),
        required=False,
        max_length=100,
        help_text="The language, if they need an interpreter. Leave blank if not.",
    )
    communication_needs = forms.CharField(
        label="Communication needs",
        required=False,
        widget=forms.Textarea,
        help_text="For example, British Sign Language, large print, an intermediary.",
    )
    # The person's ``updated_at`` when the form was opened: the version a save relies on.
    updated_at = forms.CharField(widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.layout = Layout(
            Fieldset(
                Field.text("person_ref", field_width=Fixed.TEN),
                Field.text("first_name", field_width=Fluid.ONE_HALF),
                Field.text("last_name", field_width=Fluid.ONE_HALF),
                Field.textarea("aliases", rows=3),
                "date_of_birth",
                legend="Name and identity",
                legend_size=Size.MEDIUM,
            ),
            Fieldset(
                Field.textarea("address", rows=4),
                legend="Address",
                legend_size=Size.MEDIUM,
            ),
            Fieldset(
                Field.textarea("safe_contact", rows=3),
                Field.text("interpreter_language", field_width=Fluid.ONE_THIRD),
                Field.textarea("communication_needs", rows=3),
                legend="Contact and communication",
                legend_size=Size.MEDIUM,
            ),
            "updated_at",
            Button("submit", "Save changes"),
        )

    @classmethod
    def initial_for(cls, person: Person) -> dict:
        return {
            "person_ref": person.person_ref or "",
            "first_name": person.first_name,
            "last_name": person.last_name,
            "aliases": "\n".join(person.aliases),
            "date_of_birth": person.date_of_birth,
            "address": person.address,
            "safe_contact": person.safe_contact,
            "interpreter_language": person.interpreter_language,
            "communication_needs": person.communication_needs,
            "updated_at": person.updated_at.isoformat(),
        }

    def service_kwargs(self) -> dict:
        details = dict(self.cleaned_data)
        expected = details.pop("updated_at")
        return {**details, "expected_updated_at": expected}

    def with_version(self, version: str) -> PersonForm:
        """The same input bound again against the person as saved now (after a refused save)."""
        data = self.data.copy()
        data["updated_at"] = version
        fresh = type(self)(data)
        fresh.is_valid()
        return fresh

    def clean_aliases(self) -> list[str]:
        aliases = [line.strip() for line in self.cleaned_data["aliases"].splitlines()]
        aliases = [alias for alias in aliases if alias]
        too_long = next((alias for alias in aliases if len(alias) > _ALIAS_MAX), None)
        if too_long:
            raise forms.ValidationError(
                f"Each name must be {_ALIAS_MAX} characters or fewer; '{too_long[:30]}…' is longer."
            )
        return aliases

    def clean_updated_at(self) -> datetime.datetime:
        try:
            value = datetime.datetime.fromisoformat(self.cleaned_data["updated_at"])
        except ValueError:
            value = None
        if value is None or value.tzinfo is None:
            raise forms.ValidationError(OUT_OF_DATE)
        return value
