"""The register of a session: one answer (attended, absent, cancelled) per person holding a place.

The page renders it as a table, one row per person with their radios (``training/attendance.html``),
so the form has no crispy layout; each field is named ``outcome_<booking pk>``, the name the
attendance service gives when it refuses a row.
"""

from __future__ import annotations

from django import forms

from ..models import Booking
from ..services.attendance import OUTCOMES


def outcome_field_name(booking: Booking) -> str:
    return f"outcome_{booking.pk}"


class AttendanceForm(forms.Form):
    def __init__(self, *args, bookings: list[Booking], **kwargs):
        super().__init__(*args, **kwargs)
        self.bookings = bookings
        choices = [(value, Booking.Status(value).label) for value in OUTCOMES]
        for booking in bookings:
            self.fields[outcome_field_name(booking)] = forms.ChoiceField(
                label=f"Attendance of {booking.trainee.name}",
                choices=choices,
                widget=forms.RadioSelect,
                # A booking not yet recorded has nothing chosen: every row needs an answer.
                initial=booking.status if booking.status in OUTCOMES else None,
                error_messages={
                    "required": f"Choose attended, absent or cancelled for {booking.trainee.name}",
                    "invalid_choice": "Choose attended, absent or cancelled",
                },
            )

    @property
    def rows(self):
        """(booking, bound field) for each person, in the order of the register."""
        return [(booking, self[outcome_field_name(booking)]) for booking in self.bookings]

    def error_links(self) -> list[tuple[str, str]]:
        """The error summary's lines: (the id of the input to go to, the message)."""
        return [("register", error) for error in self.non_field_errors()] + [
            (f"id_{field.html_name}_1", error) for _, field in self.rows for error in field.errors
        ]

    def service_kwargs(self) -> dict:
        """What ``attendance_record`` takes: ``outcomes``, booking pk -> outcome."""
        return {
            "outcomes": {
                booking.pk: self.cleaned_data[outcome_field_name(booking)]
                for booking in self.bookings
            }
        }
