"""The widgets the training forms share."""

from __future__ import annotations

from django import forms


def number_box(width: int, *, decimal: bool = False) -> forms.TextInput:
    """A GOV.UK text box ``width`` characters wide for a number: a text input, not a number
    input (which changes its value on a scroll), that brings up the number keypad on a phone
    (``inputmode``; with a decimal point for ``decimal``)."""
    return forms.TextInput(
        attrs={
            "class": f"govuk-input govuk-input--width-{width}",
            "inputmode": "decimal" if decimal else "numeric",
        }
    )
