"""Multi-agency clinic meetings, case discussions and officers' drop-in sessions; what each
meeting discussed and decided; and the actions agencies agreed to take. Meetings discuss cases
(``referrals.Case``); the referrals app knows nothing of this one.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone

from referrals.models import RiskLevel
from stalking_clinic.choices import TaggedChoices


class Meeting(models.Model):
    class Kind(models.TextChoices):
        CLINIC = "clinic", "Clinic meeting"
        CASE_DISCUSSION = "case_discussion", "Case discussion"
        DROP_IN = "drop_in", "Drop-in session"

    class Status(TaggedChoices, tag_set="meeting_status"):
        PLANNED = "planned", "blue", "Planned"
        HELD = "held", "green", "Held"
        CANCELLED = "cancelled", "grey", "Cancelled"

    kind = models.CharField(max_length=16, choices=Kind.choices)
    starts_at = models.DateTimeField()
    place = models.CharField(max_length=200, blank=True)
    online_link = models.URLField(blank=True)
    chair = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="meetings_chaired",
    )
    convened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="meetings_convened"
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PLANNED)
    notes = models.TextField(blank=True)
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-starts_at", "-id"]
        indexes = [models.Index(fields=["-starts_at"], name="meeting_starts_idx")]

    def __str__(self):
        return f"MTG-{self.pk:05d}" if self.pk else "New meeting"

    @property
    def reference(self) -> str:
        return str(self)

    @property
    def audit_label(self) -> str:
        return self.reference


class Attendee(models.Model):
    """Someone invited to a meeting: a user of the system, or a named person from an agency."""

    class Attendance(TaggedChoices, tag_set="attendance"):
        INVITED = "invited", "grey", "Invited"
        ATTENDED = "attended", "green", "Attended"
        APOLOGIES = "apologies", "yellow", "Sent apologies"
        ABSENT = "absent", "red", "Did not attend"

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendees")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="meeting_attendances",
    )
    name = models.CharField(max_length=150, blank=True, help_text="For someone with no account.")
    agency = models.ForeignKey(
        "accounts.Agency", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    attendance = models.CharField(
        max_length=10, choices=Attendance.choices, default=Attendance.INVITED
    )
    # Recorded before the attendee sees the meeting's cases.
    confidentiality_agreed_at = models.DateTimeField(null=True, blank=True)
    confidentiality_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["agency__name", "name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "user"],
                condition=models.Q(user__isnull=False),
                name="meeting_attendee_once",
            ),
            models.CheckConstraint(
                condition=models.Q(user__isnull=False) | ~models.Q(name=""),
                name="meeting_attendee_user_or_name",
            ),
        ]

    def __str__(self):
        return self.display_name

    @property
    def display_name(self) -> str:
        return self.user.display_name if self.user_id else self.name


class AgendaItem(models.Model):
    """A case on a meeting's agenda, and (once discussed) what the meeting made of it."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="agenda")
    case = models.ForeignKey(
        "referrals.Case", on_delete=models.PROTECT, related_name="agenda_items"
    )
    position = models.PositiveIntegerField()
    reason = models.CharField(max_length=200, blank=True, help_text="Why it is on the agenda.")
    # The case's risk when it was put on the agenda: "risk rose since last discussed" compares it.
    risk_at_agenda = models.CharField(max_length=10, choices=RiskLevel.choices, blank=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    # The discussion.
    behaviours = models.TextField("Behaviours", blank=True)
    motivation = models.TextField("The stalker's motivation", blank=True)
    history = models.TextField("History", blank=True)
    mental_health = models.TextField("Mental health", blank=True)
    agency_information = models.TextField("What each agency knows", blank=True)
    risk_agreed = models.CharField(max_length=10, choices=RiskLevel.choices, blank=True)
    decisions = models.TextField(blank=True)
    consider_spo = models.BooleanField("Consider a Stalking Protection Order", default=False)
    discussed_at = models.DateTimeField(null=True, blank=True)
    discussed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["meeting", "position", "id"]
        constraints = [models.UniqueConstraint(fields=["meeting", "case"], name="agenda_case_once")]
        indexes = [models.Index(fields=["case", "-discussed_at"], name="agenda_case_discussed_idx")]

    def __str__(self):
        return f"{self.case} at {self.meeting}"


class DropInAdvice(models.Model):
    """Advice given to an officer at a drop-in session, about a case if there is one."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="advice")
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    officer_name = models.CharField(max_length=150, blank=True)
    case = models.ForeignKey(
        "referrals.Case",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="drop_in_advice",
    )
    question = models.TextField(blank=True)
    advice = models.TextField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["recorded_at", "id"]
        verbose_name_plural = "drop-in advice"

    def __str__(self):
        return f"Advice at {self.meeting}"


class Action(models.Model):
    """Something an agency agreed to do about a case. Responsibility stays with that agency."""

    class Status(TaggedChoices, tag_set="action_status"):
        OPEN = "open", "light-blue", "Open"
        IN_PROGRESS = "in_progress", "blue", "In progress"
        DONE = "done", "green", "Done"
        CANCELLED = "cancelled", "grey", "Cancelled"

    OPEN = frozenset({Status.OPEN, Status.IN_PROGRESS})
    CLOSED = frozenset({Status.DONE, Status.CANCELLED})

    case = models.ForeignKey("referrals.Case", on_delete=models.PROTECT, related_name="actions")
    agenda_item = models.ForeignKey(
        AgendaItem, on_delete=models.PROTECT, null=True, blank=True, related_name="actions"
    )
    description = models.TextField()
    owner_agency = models.ForeignKey(
        "accounts.Agency", on_delete=models.PROTECT, related_name="meeting_actions"
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="meeting_actions",
    )
    due_on = models.DateField()
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.OPEN)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    completed_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["due_on", "id"]
        indexes = [
            models.Index(fields=["owner_agency", "status", "due_on"], name="action_agency_idx"),
            models.Index(fields=["owner", "status", "due_on"], name="action_owner_idx"),
            models.Index(fields=["case", "due_on"], name="action_case_idx"),
        ]

    def __str__(self):
        return f"ACT-{self.pk:05d}" if self.pk else "New action"

    @property
    def reference(self) -> str:
        return str(self)

    @property
    def audit_label(self) -> str:
        return self.reference

    def is_overdue(self, today) -> bool:
        return self.status not in self.CLOSED and self.due_on < today


class ActionUpdate(models.Model):
    """A note or change of status on an action, by its owners or the clinic."""

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="updates")
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(default=timezone.now)
    note = models.TextField(blank=True)
    status_from = models.CharField(max_length=12, choices=Action.Status.choices, blank=True)
    status_to = models.CharField(max_length=12, choices=Action.Status.choices, blank=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self):
        return f"Update on {self.action}"
