"""The victim's safety plan: its actions and the history of each action's changes."""

from django.conf import settings
from django.db import models
from django.utils import timezone

from stalking_clinic.choices import TaggedChoices

from .cases import Case


class SafetyAction(models.Model):
    """One action in the victim's safety plan. ISACs keep the plan current."""

    class Status(TaggedChoices, tag_set="safety_action_status"):
        TO_DO = "to_do", "yellow", "To do"
        IN_PROGRESS = "in_progress", "blue", "In progress"
        DONE = "done", "green", "Done"
        NOT_NEEDED = "not_needed", "grey", "No longer needed"

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="safety_actions")
    description = models.TextField()
    owner = models.CharField(
        max_length=120, help_text="Who does it: the victim, the ISAC, the police, an agency…"
    )
    due_date = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.TO_DO)
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["due_date", "id"]

    def __str__(self):
        return f"Safety action {self.pk} on {self.case}"


class SafetyActionChange(models.Model):
    """Each change to a safety action, for the case timeline."""

    action = models.ForeignKey(SafetyAction, on_delete=models.CASCADE, related_name="changes")
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    changed_at = models.DateTimeField(default=timezone.now)
    summary = models.CharField(max_length=300)

    class Meta:
        ordering = ["changed_at"]

    def __str__(self):
        return self.summary
