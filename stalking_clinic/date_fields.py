"""Dates and times as people type them on this service: a date as day/month/year in one box, a
time on the 24-hour clock, each with a hint and errors that say what to type."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.utils import timezone

DATE_FORMATS = ["%d/%m/%Y", "%d/%m/%y", "%Y-%m-%d"]
# 14:30, 14.30 and 1430 all mean half past two in the afternoon.
TIME_FORMATS = ["%H:%M", "%H.%M", "%H%M"]


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


class TwentyFourHourTimeField(forms.TimeField):
    """A time typed on the 24-hour clock (14:30, 14.30 or 1430), with errors that say so."""

    def __init__(self, *, example: str = "10:00", another: str = "14:30", **kwargs):
        kwargs.setdefault("help_text", f"24-hour clock, for example, {example} or {another}")
        kwargs["error_messages"] = {
            "invalid": f"Enter a time on the 24-hour clock, for example, {example}",
            **kwargs.get("error_messages", {}),
        }
        kwargs.setdefault(
            "widget", forms.TextInput(attrs={"class": "govuk-input govuk-input--width-5"})
        )
        super().__init__(input_formats=TIME_FORMATS, **kwargs)


class StartsAtMixin:
    """For a form whose ``date`` and ``time`` fields the service takes as one ``starts_at``, a
    moment in the service's time zone (Europe/London, so a winter and a summer 10:00 are both
    10:00 on the clock). A refusal of ``starts_at`` shows on the date."""

    field_aliases = {"starts_at": "date"}

    @property
    def starts_at(self) -> datetime.datetime:
        data = self.cleaned_data
        return timezone.make_aware(datetime.datetime.combine(data["date"], data["time"]))

    def service_kwargs(self) -> dict[str, Any]:
        kwargs = super().service_kwargs()
        del kwargs["date"], kwargs["time"]
        return {**kwargs, "starts_at": self.starts_at}

    @staticmethod
    def initial_date_and_time(starts_at: datetime.datetime) -> dict[str, Any]:
        """The ``date`` and ``time`` fields' initial values for a stored moment."""
        local = timezone.localtime(starts_at)
        return {"date": local.date(), "time": local.strftime("%H:%M")}
