"""Dates as people type them on this service: day/month/year in one box, with a hint."""

from django import forms

DATE_FORMATS = ["%d/%m/%Y", "%d/%m/%y", "%Y-%m-%d"]


class DayMonthYearField(forms.DateField):
    """A date typed as 27/3/2027, with errors that say what to type."""

    def __init__(self, *, example: str = "27/3/2027", **kwargs):
        kwargs.setdefault("help_text", f"For example, {example}")
        # Merged, so a field giving its own "required" message keeps this "invalid" one.
        kwargs["error_messages"] = {
            "invalid": f"Enter a real date as day/month/year, for example, {example}",
            **kwargs.get("error_messages", {}),
        }
        kwargs.setdefault(
            "widget", forms.TextInput(attrs={"class": "govuk-input govuk-input--width-10"})
        )
        super().__init__(input_formats=DATE_FORMATS, **kwargs)

    def prepare_value(self, value):
        # Show a stored date the way the hint asks people to type one.
        if hasattr(value, "strftime"):
            return f"{value.day}/{value.month}/{value.year}"
        return value
