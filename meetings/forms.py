"""Forms of the meetings pages (meetings, attendees, agenda, discussions, drop-in advice). Each
form parses what one service in ``meetings.services.meetings`` takes; the service decides. Forms
that change an existing record carry the ``version`` the user saw, so a save made after someone
else's is refused rather than silently overwriting it.
"""

from __future__ import annotations

from itertools import groupby

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Button, Field, Fluid, Layout, Size
from django import forms

from referrals.models import Case, RiskLevel
from stalking_clinic.accounts.models import Agency, Role, User
from stalking_clinic.date_fields import (
    DayMonthYearField,
    StartsAtMixin,
    TwentyFourHourTimeField,
)
from stalking_clinic.service_forms import ServiceForm, VersionField

from .models import Attendee, Meeting


class _UserChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.display_name


def _chairs():
    # Clinic meetings are chaired by the tactical lead; the coordinator chairs the smaller ones.
    return User.objects.filter(
        is_active=True, roles__overlap=[Role.TACTICAL_LEAD, Role.COORDINATOR]
    ).order_by("first_name", "last_name", "username")


def _officers():
    return User.objects.filter(
        is_active=True, roles__overlap=[Role.OFFICER, Role.CHAMPION]
    ).order_by("first_name", "last_name", "username")


def _solicitors():
    return User.objects.filter(is_active=True, roles__contains=[Role.SOLICITOR]).order_by(
        "first_name", "last_name", "username"
    )


class _CaseChoiceField(forms.ModelChoiceField):
    """Open cases, by reference, victim and risk: the pages using it are for the clinic staff who
    see every case (``Perm.MEETINGS_MANAGE``)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("queryset", Case.objects.none())
        super().__init__(**kwargs)

    def label_from_instance(self, obj):
        risk = obj.get_risk_level_display() or "Not assessed"
        return f"{obj.reference}: {obj.victim.full_name} ({risk} risk)"


def open_cases():
    return (
        Case.objects.filter(status=Case.Status.OPEN)
        .select_related("victim")
        .order_by("-risk_level", "-created_at")
    )


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
    chair = _UserChoiceField(
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
        self.fields["chair"].queryset = _chairs()

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


def _invitable_users():
    """Active users holding at least one role, grouped by agency (no agency: the clinic)."""
    users = (
        User.objects.filter(is_active=True)
        .exclude(roles=[])
        .select_related("agency")
        .order_by("agency__name", "first_name", "last_name", "username")
    )
    choices = [("", "Choose")]
    for agency, members in groupby(users, key=lambda u: u.agency):
        label = agency.name if agency else "No agency (clinic staff)"
        choices.append((label, [(str(u.pk), _user_label(u)) for u in members]))
    return choices


def _user_label(user) -> str:
    title = f", {user.job_title}" if user.job_title else ""
    return f"{user.display_name}{title}"


class AttendeeForm(ServiceForm):
    """Invite a user of the system, or name someone from an agency who has no account."""

    user = forms.TypedChoiceField(
        label="Someone with an account",
        required=False,
        coerce=int,
        empty_value=None,
        help_text="Grouped by agency.",
    )
    name = forms.CharField(
        label="Or the name of someone without an account",
        max_length=150,
        required=False,
    )
    agency = forms.ModelChoiceField(
        label="Their agency",
        queryset=Agency.objects.order_by("name"),
        required=False,
        empty_label="Choose",
        help_text="Needed for someone without an account.",
    )

    submit_label = "Invite"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].choices = _invitable_users()

    def layout_fields(self):
        return ["user", Field.text("name", field_width=Fluid.TWO_THIRDS), "agency"]

    def clean(self):
        cleaned = super().clean()
        user_pk, name = cleaned.get("user"), cleaned.get("name")
        if user_pk:
            cleaned["user"] = User.objects.select_related("agency").filter(pk=user_pk).first()
            if cleaned["user"] is None:
                self.add_error("user", "Choose someone from the list.")
        elif not name and "name" not in self._errors:
            self.add_error("user", "Choose someone with an account, or enter a name.")
        return cleaned


class AttendanceForm(forms.Form):
    attendance = forms.ChoiceField(
        choices=[
            (value, label)
            for value, label in Attendee.Attendance.choices
            if value != Attendee.Attendance.INVITED
        ]
    )


class AgendaAddForm(ServiceForm):
    case = _CaseChoiceField(
        label="Case",
        empty_label="Choose an open case",
        error_messages={"required": "Choose the case to discuss."},
    )
    reason = forms.CharField(
        label="Why it is on the agenda (optional)",
        max_length=200,
        required=False,
        help_text="For example, new incidents since the last meeting.",
    )

    submit_label = "Add to the agenda"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["case"].queryset = open_cases()

    def layout_fields(self):
        return ["case", Field.text("reason", field_width=Fluid.TWO_THIRDS)]


def _text(label, help_text="", rows=4):
    return forms.CharField(
        label=label,
        required=False,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": rows}),
    )


class DiscussionForm(ServiceForm):
    behaviours = _text(
        "Behaviours",
        "What the suspect has been doing: fixated, obsessive, unwanted and repeated (FOUR).",
    )
    motivation = _text(
        "The stalker's motivation",
        "For example, rejected, resentful, intimacy seeking, incompetent suitor, predatory.",
    )
    history = _text("History", "Previous stalking, violence, orders and convictions.")
    mental_health = _text("Mental health")
    agency_information = _text(
        "What each agency knows",
        "What police, CPS, probation, mental health, the ISAC and others told the meeting.",
        rows=6,
    )
    risk_agreed = forms.ChoiceField(
        label="Risk agreed by the meeting",
        choices=RiskLevel.choices,
        widget=forms.RadioSelect,
        required=False,
    )
    decisions = _text("Decisions", "Each decision can create actions for an agency.")
    consider_spo = forms.BooleanField(
        label="Consider a Stalking Protection Order",
        required=False,
        help_text="Opens SPO work for the solicitor.",
    )
    spo_solicitor = _UserChoiceField(
        label="Solicitor to consider the order",
        queryset=User.objects.none(),
        required=False,
        empty_label="Choose",
    )
    version = VersionField()

    submit_label = "Save the discussion"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["spo_solicitor"].queryset = _solicitors()

    def layout_fields(self):
        return [
            "behaviours",
            "motivation",
            "history",
            "mental_health",
            "agency_information",
            Field.radios("risk_agreed", inline=True),
            "decisions",
            "consider_spo",
            "spo_solicitor",
            "version",
        ]

    @staticmethod
    def initial_for(item) -> dict:
        return {
            "behaviours": item.behaviours,
            "motivation": item.motivation,
            "history": item.history,
            "mental_health": item.mental_health,
            "agency_information": item.agency_information,
            "risk_agreed": item.risk_agreed or item.case.risk_level,
            "decisions": item.decisions,
            "consider_spo": item.consider_spo,
            "version": item.version,
        }


class AdviceForm(ServiceForm):
    officer = _UserChoiceField(
        label="Officer who came",
        queryset=User.objects.none(),
        required=False,
        empty_label="Choose",
    )
    officer_name = forms.CharField(
        label="Or the officer's name and collar number, if not listed",
        max_length=150,
        required=False,
    )
    case = _CaseChoiceField(label="About the case (optional)", required=False, empty_label="None")
    question = _text("What the officer asked (optional)", rows=3)
    advice = forms.CharField(
        label="Advice given",
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="Shows on the case's timeline.",
        error_messages={"required": "Enter the advice given."},
    )

    submit_label = "Record the advice"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["officer"].queryset = _officers()
        self.fields["case"].queryset = open_cases()

    def layout_fields(self):
        return [
            "officer",
            Field.text("officer_name", field_width=Fluid.TWO_THIRDS),
            "case",
            "question",
            "advice",
        ]

    def clean(self):
        cleaned = super().clean()
        missing = not cleaned.get("officer") and not cleaned.get("officer_name")
        if missing and "officer" not in self._errors:
            self.add_error("officer", "Choose the officer, or enter their name.")
        return cleaned
