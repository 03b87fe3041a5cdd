"""Forms of the meetings list and of a meeting itself: the list's filters, scheduling a meeting
and changing one (which carries the ``version`` the user saw, so a save made after someone
else's is refused rather than silently overwriting it)."""

from __future__ import annotations

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Button, Field, Fluid, Layout, Size
from django import forms

from stalking_clinic.accounts.models import User
from stalking_clinic.date_fields import (
    DayMonthYearField,
    StartsAtMixin,
    TwentyFourHourTimeField,
)
from stalking_clinic.service_forms import ServiceForm, VersionField

from ..models import Meeting
from .fields import UserChoiceField, chairs


class MeetingFilterForm(forms.Form):
    WHEN = [("", "Upcoming and past"), ("upcoming", "Upcoming"), ("past", "Past")]

    kind = forms.ChoiceField(
        label="Kind", required=False, choices=[("", "Any"), *Meeting.Kind.choices]
    )
    when = forms.ChoiceField(label="When", required=False, choices=WHEN, widget=forms.RadioSelect)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_method = "get"
        self.helper.label_size = Size.SMALL
        self.helper.legend_size = Size.SMALL
        self.helper.layout = Layout(
            "kind", Field.radios("when", small=True), Button("apply", "Apply filters")
        )


class MeetingForm(StartsAtMixin, ServiceForm):
    """``meetings.services.meetings.meeting_schedule``'s arguments; the date and the time are
    its ``starts_at``."""

    kind = forms.ChoiceField(
        label="Kind of meeting",
        choices=Meeting.Kind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the kind of meeting."},
    )
    date = DayMonthYearField(
        label="Date", error_messages={"required": "Enter the date of the meeting."}
    )
    time = TwentyFourHourTimeField(
        label="Start time",
        error_messages={"required": "Enter the start time."},
    )
    place = forms.CharField(
        label="Place (optional)",
        max_length=200,
        required=False,
        help_text="For example, Clinic room, Waterwells",
    )
    online_link = forms.URLField(
        label="Online meeting link (optional)",
        required=False,
        assume_scheme="https",
        error_messages={"invalid": "Enter the link as a web address, starting https://"},
    )
    chair = UserChoiceField(
        label="Chair",
        queryset=User.objects.none(),
        required=False,
        empty_label="Not yet decided",
        help_text="The tactical lead chairs clinic meetings.",
    )
    notes = forms.CharField(label="Notes", required=False, widget=forms.Textarea(attrs={"rows": 3}))

    submit_label = "Schedule the meeting"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["chair"].queryset = chairs()

    def layout_fields(self):
        return [
            Field.radios("kind"),
            "date",
            "time",
            Field.text("place", field_width=Fluid.TWO_THIRDS),
            Field.text("online_link", field_width=Fluid.TWO_THIRDS),
            "chair",
            *self._end(),
            "notes",
        ]

    def _end(self):
        return []


class MeetingEditForm(MeetingForm):
    """``meetings.services.meetings.meeting_update``'s arguments."""

    status = forms.ChoiceField(label="Status", choices=Meeting.Status.choices)
    version = VersionField()

    submit_label = "Save the meeting"

    def _end(self):
        return [Field.radios("status", inline=True), "version"]

    @staticmethod
    def initial_for(meeting: Meeting) -> dict:
        return {
            "kind": meeting.kind,
            **StartsAtMixin.initial_date_and_time(meeting.starts_at),
            "place": meeting.place,
            "online_link": meeting.online_link,
            "chair": meeting.chair_id,
            "status": meeting.status,
            "notes": meeting.notes,
            "version": meeting.version,
        }
