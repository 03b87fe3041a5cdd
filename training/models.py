"""The training programme: the force's officers (imported from its officer list), the courses the
clinic runs, their sessions, who is booked on them (with a waiting list), who attended, the
champions register and the clinic staff's continuing professional development.

Who counts as trained is worked out from attended bookings (``training/selectors/compliance.py``):
a course that must be refreshed is complete only while the last attendance is within its refresh
interval.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.dateformat import format as date_format

from stalking_clinic.choices import TaggedChoices


class Area(models.Model):
    """A policing area (local policing unit or district)."""

    name = models.CharField(max_length=100, unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class Team(models.Model):
    """A team within an area, as named in the force's officer list."""

    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="teams")
    name = models.CharField(max_length=100)

    class Meta:
        ordering = ["area__name", "name"]
        constraints = [models.UniqueConstraint(fields=["area", "name"], name="team_once_per_area")]

    def __str__(self):
        return f"{self.name} ({self.area.name})"


class JobRole(models.Model):
    """A role in the force's officer list ("Police constable", "Call handler", …)."""

    name = models.CharField(max_length=100, unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


def normalise_collar_number(value: str) -> str:
    return "".join(value.split()).upper()


class Trainee(models.Model):
    """An officer or member of staff on the force's officer list, matched on collar number.

    A user account with the same ``collar_number`` is this person signing in: a supervisor sees
    the trainees whose ``supervisor`` they are, an officer sees their own bookings.
    """

    collar_number = models.CharField(max_length=20, unique=True)
    name = models.CharField(max_length=150)
    email = models.EmailField(blank=True)
    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="members")
    job_role = models.ForeignKey(JobRole, on_delete=models.PROTECT, related_name="trainees")
    supervisor = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="reports"
    )
    # Not in the latest officer list (left, or moved out of the force's scope): kept for their
    # training history, left out of compliance and booking.
    active = models.BooleanField(default=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name", "collar_number"]
        indexes = [models.Index(fields=["team", "name"], name="trainee_team_idx")]

    def __str__(self):
        return f"{self.name} ({self.collar_number})"

    @property
    def audit_label(self) -> str:
        return f"Trainee {self.collar_number}"


class OfficerImport(models.Model):
    """One upload of the force's officer list, with what it did."""

    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(default=timezone.now)
    filename = models.CharField(max_length=200, blank=True)
    rows = models.PositiveIntegerField(default=0)
    created = models.PositiveIntegerField(default=0)
    updated = models.PositiveIntegerField(default=0)
    unchanged = models.PositiveIntegerField(default=0)
    deactivated = models.PositiveIntegerField(default=0)
    # [{"line": 7, "message": "…"}]: rows that were not loaded, and why.
    errors = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["-uploaded_at", "-id"]

    def __str__(self):
        return f"Officer list import {self.pk}"


class Course(models.Model):
    class Kind(models.TextChoices):
        AWARENESS = "awareness", "Awareness"
        MANDATORY = "mandatory", "Mandatory training"
        SUPERVISOR = "supervisor", "Supervisor course"
        ADVANCED = "advanced", "Advanced course"
        DROP_IN = "drop_in", "Drop-in session"

    title = models.CharField(max_length=150, unique=True)
    kind = models.CharField(max_length=12, choices=Kind.choices)
    audience = models.CharField(max_length=200, help_text="Who the course is for.")
    description = models.TextField(blank=True)
    # Mandatory for anyone holding one of these roles, and for everyone in these teams.
    mandatory_roles = models.ManyToManyField(JobRole, blank=True, related_name="mandatory_courses")
    mandatory_teams = models.ManyToManyField(Team, blank=True, related_name="mandatory_courses")
    duration_minutes = models.PositiveIntegerField()
    # Months after attending when the course must be taken again; empty: never.
    refresh_months = models.PositiveSmallIntegerField(null=True, blank=True)
    active = models.BooleanField(default=True)
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["title"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(duration_minutes__gt=0), name="course_duration_positive"
            ),
            models.CheckConstraint(
                condition=models.Q(refresh_months__isnull=True) | models.Q(refresh_months__gt=0),
                name="course_refresh_positive",
            ),
        ]

    def __str__(self):
        return self.title

    @property
    def duration_label(self) -> str:
        """180 -> "3 hours", 90 -> "1 hour 30 minutes", 45 -> "45 minutes"."""
        hours, rest = divmod(self.duration_minutes, 60)
        parts = []
        if hours:
            parts.append(f"{hours} hour{'s' if hours != 1 else ''}")
        if rest:
            parts.append(f"{rest} minute{'s' if rest != 1 else ''}")
        return " ".join(parts)

    @property
    def audit_label(self) -> str:
        return f"Course {self.title}"


class Session(models.Model):
    """One sitting of a course: when, where, who trains, how many places."""

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", "Scheduled"
        CANCELLED = "cancelled", "Cancelled"

    course = models.ForeignKey(Course, on_delete=models.PROTECT, related_name="sessions")
    starts_at = models.DateTimeField()
    venue = models.CharField(max_length=200, blank=True)
    online_link = models.URLField(blank=True)
    trainer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="training_sessions",
        help_text="A trainer with an account records attendance.",
    )
    trainer_name = models.CharField(
        max_length=150, blank=True, help_text="A trainer from outside, with no account."
    )
    capacity = models.PositiveSmallIntegerField()
    notes = models.TextField(blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.SCHEDULED)
    cancelled_reason = models.CharField(max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["starts_at", "id"]
        indexes = [models.Index(fields=["starts_at"], name="session_starts_idx")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(capacity__gt=0), name="session_capacity_positive"
            ),
            models.CheckConstraint(
                condition=~models.Q(venue="") | ~models.Q(online_link=""),
                name="session_venue_or_online",
            ),
        ]

    def __str__(self):
        return f"{self.course.title}, {timezone.localtime(self.starts_at):%d %b %Y %H:%M}"

    @property
    def reference(self) -> str:
        return f"TRN-{self.pk:05d}" if self.pk else "New session"

    @property
    def audit_label(self) -> str:
        return self.reference

    @property
    def ends_at(self) -> datetime.datetime:
        return self.starts_at + datetime.timedelta(minutes=self.course.duration_minutes)

    @property
    def trainer_display(self) -> str:
        return self.trainer.display_name if self.trainer_id else self.trainer_name

    @property
    def where(self) -> str:
        return self.venue or "Online"

    @property
    def when(self) -> str:
        """ "Tue 3 Mar 2026, 09:30": the start in the service's time zone, as messages and emails
        give it."""
        return date_format(timezone.localtime(self.starts_at), "D j M Y, H:i")


class Booking(models.Model):
    """A trainee's place on a session, or their place in its waiting list.

    The waiting list is the session's WAITING bookings in the order they joined (``joined_at``);
    a place that comes free goes to the first of them (``training/services/bookings.py``).
    Attendance is recorded on the booking: ATTENDED counts toward compliance.
    """

    class Status(TaggedChoices, tag_set="booking_status"):
        BOOKED = "booked", "blue", "Booked"
        WAITING = "waiting", "yellow", "On the waiting list"
        ATTENDED = "attended", "green", "Attended"
        ABSENT = "absent", "red", "Absent"
        CANCELLED = "cancelled", "grey", "Cancelled"

    # The statuses that hold one of the session's places.
    HOLDS_PLACE = (Status.BOOKED, Status.ATTENDED, Status.ABSENT)
    # The statuses that stop a trainee being booked on the same session again.
    ON_SESSION = (Status.BOOKED, Status.WAITING, Status.ATTENDED, Status.ABSENT)

    session = models.ForeignKey(Session, on_delete=models.PROTECT, related_name="bookings")
    trainee = models.ForeignKey(Trainee, on_delete=models.PROTECT, related_name="bookings")
    status = models.CharField(max_length=10, choices=Status.choices)
    booked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    joined_at = models.DateTimeField(default=timezone.now)
    placed_at = models.DateTimeField(null=True, blank=True, help_text="When a place was given.")
    cancelled_at = models.DateTimeField(null=True, blank=True)
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    cancellation_reason = models.CharField(max_length=300, blank=True)
    attendance_recorded_at = models.DateTimeField(null=True, blank=True)
    attendance_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["joined_at", "id"]
        indexes = [
            models.Index(fields=["session", "status", "joined_at"], name="booking_session_idx"),
            models.Index(fields=["trainee", "status"], name="booking_trainee_idx"),
        ]
        constraints = [
            # A trainee is on a session (booked, waiting or attended) once at most; a cancelled
            # booking does not stop them being booked again.
            models.UniqueConstraint(
                fields=["session", "trainee"],
                condition=~models.Q(status="cancelled"),
                name="booking_once_per_session",
            ),
        ]

    def __str__(self):
        return f"{self.trainee} on {self.session}"

    @property
    def reference(self) -> str:
        return f"BKG-{self.pk:06d}" if self.pk else "New booking"

    @property
    def audit_label(self) -> str:
        return self.reference


class Champion(models.Model):
    """An officer on the register of domestic abuse and stalking champions."""

    class Level(models.TextChoices):
        CHAMPION = "champion", "Domestic abuse and stalking champion"
        ENHANCED = "enhanced", "Enhanced champion"

    trainee = models.OneToOneField(Trainee, on_delete=models.PROTECT, related_name="champion")
    level = models.CharField(max_length=10, choices=Level.choices)
    appointed_on = models.DateField()
    stood_down_on = models.DateField(null=True, blank=True)
    notes = models.TextField(blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["trainee__name"]

    def __str__(self):
        return f"{self.trainee} ({self.get_level_display()})"

    @property
    def active(self) -> bool:
        return self.stood_down_on is None

    @property
    def audit_label(self) -> str:
        return f"Champion {self.trainee.collar_number}"


class CPDEntry(models.Model):
    """Continuing professional development recorded by a member of the clinic's staff."""

    class Kind(models.TextChoices):
        COURSE = "course", "Course or workshop"
        CONFERENCE = "conference", "Conference or seminar"
        READING = "reading", "Reading or research"
        SUPERVISION = "supervision", "Supervision or reflective practice"
        SHADOWING = "shadowing", "Shadowing"
        OTHER = "other", "Other"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="cpd_entries"
    )
    done_on = models.DateField()
    kind = models.CharField(max_length=12, choices=Kind.choices)
    title = models.CharField(max_length=200)
    provider = models.CharField(max_length=150, blank=True)
    hours = models.DecimalField(max_digits=5, decimal_places=1)
    reflection = models.TextField(blank=True, help_text="What you learnt and how you will use it.")
    created_at = models.DateTimeField(default=timezone.now)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-done_on", "-id"]
        verbose_name = "CPD entry"
        verbose_name_plural = "CPD entries"
        constraints = [
            models.CheckConstraint(condition=models.Q(hours__gt=0), name="cpd_hours_positive")
        ]

    def __str__(self):
        return self.title

    @property
    def audit_label(self) -> str:
        return f"CPD entry {self.pk}"
