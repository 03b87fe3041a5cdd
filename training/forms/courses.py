"""Forms of the course and session pages. Each parses what one service in
``training.services.courses`` takes; the service decides."""

from __future__ import annotations

import datetime
from itertools import groupby

from crispy_forms_gds.layout import HTML, Button, Field, Fluid, Layout
from django import forms
from django.utils import timezone

from stalking_clinic.access.rules import ROLE_PERMISSIONS, Perm
from stalking_clinic.accounts.models import User
from stalking_clinic.date_fields import (
    DayMonthYearField,
    StartsAtMixin,
    TwentyFourHourTimeField,
)
from stalking_clinic.filter_forms import FilterForm
from stalking_clinic.service_forms import ServiceForm, VersionField

from ..models import Course, JobRole, Session, Team
from ..services.courses import REASON_MAX
from .widgets import number_box

# --- courses -----------------------------------------------------------------------------------


class CourseForm(ServiceForm):
    """A course. Mandatory teams are offered as one set of checkboxes per area, so that a force
    with dozens of teams stays readable; the chosen teams are gathered into
    ``cleaned_data["mandatory_teams"]``."""

    title = forms.CharField(
        label="Title", max_length=150, error_messages={"required": "Enter the title of the course."}
    )
    kind = forms.ChoiceField(
        label="Kind of course",
        choices=Course.Kind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the kind of course."},
    )
    audience = forms.CharField(
        label="Who the course is for",
        max_length=200,
        help_text="For example, Neighbourhood and response officers",
        error_messages={"required": "Enter who the course is for."},
    )
    description = forms.CharField(
        label="Description (optional)", required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    duration_minutes = forms.IntegerField(
        label="Length in minutes",
        min_value=1,
        max_value=10000,
        help_text="For example, 180 for a three-hour course",
        widget=number_box(4),
        error_messages={
            "required": "Enter how long the course lasts in minutes, 1 or more.",
            "invalid": "Enter how long the course lasts as a whole number of minutes.",
            "min_value": "Enter how long the course lasts in minutes, 1 or more.",
            "max_value": "Enter a length of 10000 minutes or fewer.",
        },
    )
    refresh_months = forms.IntegerField(
        label="Taken again after how many months (optional)",
        required=False,
        min_value=1,
        max_value=120,
        help_text="Leave empty if the course is never taken again. For example, 24",
        widget=number_box(3),
        error_messages={
            "invalid": "Enter the number of months as a whole number, or leave it empty.",
            "min_value": "Enter the number of months, 1 or more, or leave it empty.",
            "max_value": "Enter 120 months or fewer.",
        },
    )
    mandatory_roles = forms.MultipleChoiceField(
        label="Mandatory for these roles",
        required=False,
        help_text="Everyone holding one of these roles must take the course.",
        widget=forms.CheckboxSelectMultiple,
    )

    submit_label = "Add the course"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.roles = {str(role.pk): role for role in JobRole.objects.order_by("name")}
        self.fields["mandatory_roles"].choices = [(pk, r.name) for pk, r in self.roles.items()]
        self.teams: dict[str, Team] = {}
        chosen = {int(pk) for pk in self.initial.get("mandatory_teams") or []}
        self.team_fields: list[str] = []
        teams = Team.objects.select_related("area").order_by("area__name", "name")
        for area, members in groupby(teams, key=lambda team: team.area):
            members = list(members)
            name = f"teams_{area.pk}"
            self.teams.update({str(team.pk): team for team in members})
            self.fields[name] = forms.MultipleChoiceField(
                label=f"Teams in {area.name}",
                required=False,
                choices=[(str(team.pk), team.name) for team in members],
                widget=forms.CheckboxSelectMultiple,
            )
            self.team_fields.append(name)
            self.initial[name] = [str(team.pk) for team in members if team.pk in chosen]
        self.helper.layout = Layout(*self.layout_fields(), Button("submit", self.submit_label))

    def layout_fields(self):
        teams = []
        if getattr(self, "team_fields", None):
            teams = [
                HTML(
                    '<h2 class="govuk-heading-s">Mandatory for these teams</h2>'
                    '<p class="govuk-hint">Everyone in a chosen team must take the course, '
                    "whatever their role. Teams are listed by area.</p>"
                ),
                *[Field.checkboxes(name, small=True) for name in self.team_fields],
            ]
        return [
            Field.text("title", field_width=Fluid.TWO_THIRDS),
            Field.radios("kind"),
            Field.text("audience", field_width=Fluid.TWO_THIRDS),
            "description",
            "duration_minutes",
            "refresh_months",
            Field.checkboxes("mandatory_roles", small=True),
            *teams,
            *self._end(),
        ]

    def _end(self):
        return []

    def clean(self):
        cleaned = super().clean()
        cleaned["mandatory_roles"] = [
            self.roles[pk] for pk in cleaned.get("mandatory_roles") or [] if pk in self.roles
        ]
        cleaned["mandatory_teams"] = [
            self.teams[pk]
            for name in self.team_fields
            for pk in cleaned.get(name) or []
            if pk in self.teams
        ]
        return cleaned

    def service_kwargs(self) -> dict:
        """The course's fields, with the teams of every area as one ``mandatory_teams``."""
        kwargs = super().service_kwargs()
        for name in self.team_fields:
            kwargs.pop(name, None)
        return kwargs


class CourseEditForm(CourseForm):
    active = forms.BooleanField(
        label="The course is still run",
        required=False,
        help_text="A course no longer run takes no new sessions; its past sessions still count.",
    )
    version = VersionField()

    submit_label = "Save the course"

    def _end(self):
        return [Field.checkbox("active"), "version"]

    @staticmethod
    def initial_for(course: Course) -> dict:
        return {
            "title": course.title,
            "kind": course.kind,
            "audience": course.audience,
            "description": course.description,
            "duration_minutes": course.duration_minutes,
            "refresh_months": course.refresh_months,
            "mandatory_roles": [
                str(pk) for pk in course.mandatory_roles.values_list("pk", flat=True)
            ],
            "mandatory_teams": list(course.mandatory_teams.values_list("pk", flat=True)),
            "active": course.active,
            "version": course.version,
        }


# --- sessions ----------------------------------------------------------------------------------


class _CourseChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.title


class _TrainerChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.display_name}, {obj.job_title}" if obj.job_title else obj.display_name


def _trainers():
    """Active users of the training area: a trainer with an account records attendance."""
    return User.objects.filter(
        is_active=True, roles__overlap=sorted(ROLE_PERMISSIONS[Perm.TRAINING])
    ).order_by("first_name", "last_name", "username")


class SessionForm(StartsAtMixin, ServiceForm):
    course = _CourseChoiceField(
        label="Course",
        queryset=Course.objects.none(),
        empty_label="Choose a course",
        error_messages={"required": "Choose the course.", "invalid_choice": "Choose the course."},
    )
    date = DayMonthYearField(
        label="Date", error_messages={"required": "Enter the date of the session."}
    )
    time = TwentyFourHourTimeField(
        label="Start time",
        example="09:30",
        another="14:00",
        error_messages={"required": "Enter the start time."},
    )
    venue = forms.CharField(
        label="Venue",
        max_length=200,
        required=False,
        help_text="For example, Training suite, Headquarters. Leave empty for a session only "
        "held online.",
    )
    online_link = forms.URLField(
        label="Online link (optional)",
        required=False,
        assume_scheme="https",
        error_messages={"invalid": "Enter the link as a web address, starting https://"},
    )
    trainer = _TrainerChoiceField(
        label="Trainer with an account",
        queryset=User.objects.none(),
        required=False,
        empty_label="None: a trainer from outside",
        help_text="They record the session's attendance.",
    )
    trainer_name = forms.CharField(
        label="Or the name of a trainer from outside",
        max_length=150,
        required=False,
    )
    capacity = forms.IntegerField(
        label="Number of places",
        min_value=1,
        max_value=1000,
        widget=number_box(3),
        error_messages={
            "required": "Enter the number of places, 1 or more.",
            "invalid": "Enter the number of places as a whole number.",
            "min_value": "Enter the number of places, 1 or more.",
            "max_value": "Enter 1000 places or fewer.",
        },
    )
    notes = forms.CharField(
        label="Notes (optional)",
        required=False,
        help_text="Shown to everyone who sees the programme: what to bring, parking, access.",
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    submit_label = "Add the session"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "course" in self.fields:
            self.fields["course"].queryset = Course.objects.filter(active=True).order_by("title")
        self.fields["trainer"].queryset = _trainers()

    def layout_fields(self):
        return [
            *(["course"] if "course" in self.fields else []),
            "date",
            "time",
            Field.text("venue", field_width=Fluid.TWO_THIRDS),
            Field.text("online_link", field_width=Fluid.TWO_THIRDS),
            "trainer",
            Field.text("trainer_name", field_width=Fluid.TWO_THIRDS),
            "capacity",
            "notes",
            *self._end(),
        ]

    def _end(self):
        return []


class SessionEditForm(SessionForm):
    """A session's course does not change: its bookings were made for that course."""

    version = VersionField()

    submit_label = "Save the session"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["course"]
        self.helper.layout = Layout(*self.layout_fields(), Button("submit", self.submit_label))

    def _end(self):
        return ["version"]

    @staticmethod
    def initial_for(session: Session) -> dict:
        return {
            **StartsAtMixin.initial_date_and_time(session.starts_at),
            "venue": session.venue,
            "online_link": session.online_link,
            "trainer": session.trainer_id,
            "trainer_name": session.trainer_name,
            "capacity": session.capacity,
            "notes": session.notes,
            "version": session.version,
        }


class SessionCancelForm(ServiceForm):
    reason = forms.CharField(
        label="Why is the session cancelled?",
        max_length=REASON_MAX,
        help_text="Kept with the session. The people booked are told only that it is cancelled.",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={
            "required": "Enter why the session is cancelled.",
            "max_length": f"Enter a reason of {REASON_MAX} characters or fewer.",
        },
    )
    version = VersionField()

    submit_label = "Cancel the session"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper.layout = Layout(
            "reason", "version", Button.warning("submit", self.submit_label)
        )


def _months(today: datetime.date, back: int = 12, ahead: int = 12) -> list[tuple[str, str]]:
    months = []
    year, month = today.year, today.month
    for offset in range(-back, ahead + 1):
        index = year * 12 + (month - 1) + offset
        first = datetime.date(index // 12, index % 12 + 1, 1)
        months.append((f"{first:%Y-%m}", f"{first:%B %Y}"))
    return months


class SessionFilterForm(FilterForm):
    WHEN = [("", "Upcoming"), ("past", "Past")]
    MODE = [("", "Online or in person"), ("online", "Online"), ("in_person", "In person")]

    course = _CourseChoiceField(
        label="Course", queryset=Course.objects.none(), required=False, empty_label="Any course"
    )
    when = forms.ChoiceField(
        label="When", required=False, choices=WHEN, initial="", widget=forms.RadioSelect
    )
    month = forms.ChoiceField(label="Month", required=False)
    mode = forms.ChoiceField(
        label="How", required=False, choices=MODE, initial="", widget=forms.RadioSelect
    )
    free_places = forms.BooleanField(label="Only sessions with free places", required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["course"].queryset = Course.objects.order_by("title")
        self.fields["month"].choices = [("", "Any month"), *_months(timezone.localdate())]

    def layout_fields(self):
        return [
            "course",
            Field.radios("when", small=True),
            "month",
            Field.radios("mode", small=True),
            Field.checkbox("free_places", small=True),
        ]
