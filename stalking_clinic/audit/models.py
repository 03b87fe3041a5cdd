"""The audit log: append-only; the database itself refuses updates and deletes (see migration 0002).

Data Protection Act 2018 Part 3 (s.62) requires logs of collection, alteration, consultation,
disclosure (with recipients), combination and erasure; consultation and disclosure logs must let
us establish the justification, date and time, and who did it. Rows name records by type and id
and never copy a person's details, so erasing a person leaves the log intact and lawful. The one
exception is ``search_terms``: what a user typed into a search is itself what s.62 asks us to be
able to establish about that consultation (who looked for whom), so it is kept as typed.
"""

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.db import models
from django.utils import timezone


class AuditEvent(models.Model):
    class Action(models.TextChoices):
        COLLECTION = "collection", "Collection (created)"
        ALTERATION = "alteration", "Alteration (changed)"
        CONSULTATION = "consultation", "Consultation (viewed)"
        DISCLOSURE = "disclosure", "Disclosure (exported, printed or shared)"
        COMBINATION = "combination", "Combination (linked or merged)"
        ERASURE = "erasure", "Erasure (deleted)"
        SIGN_IN = "sign_in", "Signed in"
        SIGN_OUT = "sign_out", "Signed out"
        SIGN_IN_FAILED = "sign_in_failed", "Sign-in failed"

    at = models.DateTimeField(default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,  # a user with history is deactivated, never deleted
        null=True,
        blank=True,
        related_name="+",
    )
    action = models.CharField(max_length=20, choices=Action.choices)
    object_type = models.CharField(max_length=100, blank=True)
    object_id = models.CharField(max_length=64, blank=True)
    object_label = models.CharField(
        max_length=200,
        blank=True,
        help_text="A reference such as 'Case C-2026-0042', never a name.",
    )
    changed_fields = ArrayField(models.CharField(max_length=100), default=list, blank=True)
    # For changes to accounts (roles, agency, active, staff): each field's old and new value,
    # ``{"roles": {"old": [...], "new": [...]}}``. Never a victim's or suspect's details.
    changes = models.JSONField(default=dict, blank=True)
    recipient = models.CharField(max_length=200, blank=True)
    justification = models.TextField(blank=True)
    # A list or search page: the references ("app.model:id") of every record it showed, so a
    # record's own history finds the lists it appeared on; and, for a search, what was typed.
    # A case page lists the people it shows here too, so each person's history finds it.
    records = ArrayField(models.CharField(max_length=120), default=list, blank=True)
    search_terms = models.CharField(max_length=200, blank=True)
    # Opened outside the user's own work, with the reason they gave (``justification``).
    break_glass = models.BooleanField(default=False)
    path = models.CharField(max_length=300, blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["object_type", "object_id", "-at"], name="audit_object_idx"),
            models.Index(fields=["actor", "-at"], name="audit_actor_idx"),
            GinIndex(fields=["records"], name="audit_records_idx"),
        ]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.get_action_display()} {self.object_label}"


class UnusualAccess(models.Model):
    """One account opened ``UNUSUAL_ACCESS_RECORDS`` distinct records or more within
    ``UNUSUAL_ACCESS_MINUTES`` (stalking_clinic/audit/unusual.py): for the tactical lead to
    review. At most one per account per window. Names the account only, never a record."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    detected_at = models.DateTimeField(default=timezone.now)
    records = models.PositiveIntegerField()
    minutes = models.PositiveIntegerField()
    reviewed_at = models.DateTimeField(null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-detected_at", "-id"]
        indexes = [models.Index(fields=["user", "-detected_at"], name="unusual_user_idx")]
        verbose_name_plural = "unusual access"

    def __str__(self):
        return f"{self.user} opened {self.records} records by {self.detected_at:%Y-%m-%d %H:%M}"
