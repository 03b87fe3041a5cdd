"""Police log exports: each import, the entries (one per log_ref, updated in place), the rows that
were refused, and the findings the stalking scan makes of them."""

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.utils import timezone


def _person_by_reference(column, related_name, *, db_index=True, null=False):
    """A link to the Person with this force person reference, kept in ``column``.

    No database constraint: the logs name people the register may not hold yet, and a
    million-row import need not check each reference.
    """
    return models.ForeignKey(
        "referrals.Person",
        to_field="person_ref",
        db_column=column,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        db_index=db_index,
        null=null,
        blank=null,
        related_name=related_name,
    )


class LogImport(models.Model):
    """One export file, imported once: from the upload page, the command line or the inbox."""

    class Source(models.TextChoices):
        UPLOAD = "upload", "Uploaded"
        COMMAND = "command", "Command line"
        INBOX = "inbox", "Inbox folder"

    class Status(models.TextChoices):
        QUEUED = "queued", "Waiting to start"
        RUNNING = "running", "Importing"
        DONE = "done", "Imported"
        REFUSED = "refused", "Refused"
        FAILED = "failed", "Failed"

    file_name = models.CharField(max_length=255)
    stored_path = models.CharField(max_length=500, blank=True)
    size_bytes = models.BigIntegerField(default=0)
    source = models.CharField(max_length=10, choices=Source.choices)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    bytes_done = models.BigIntegerField(default=0)
    rows_read = models.PositiveIntegerField(default=0)
    rows_added = models.PositiveIntegerField(default=0)
    rows_updated = models.PositiveIntegerField(default=0)
    rows_unchanged = models.PositiveIntegerField(default=0)
    rows_rejected = models.PositiveIntegerField(default=0)
    message = models.TextField(blank=True, help_text="Why the file was refused or failed.")

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"Import {self.pk} of {self.file_name}"

    @property
    def audit_label(self) -> str:
        return f"Log import {self.pk}"

    @property
    def percent(self) -> int:
        if self.status in {self.Status.DONE, self.Status.REFUSED, self.Status.FAILED}:
            return 100
        if not self.size_bytes:
            return 0
        return min(99, int(self.bytes_done * 100 / self.size_bytes))


class LogEntry(models.Model):
    """One police log entry. ``log_ref`` identifies it for good: a later export updates it.

    Victims and suspects link to the same Person records as referrals, by force person reference
    (``to_field``), without a database constraint so a million-row import need not check each one.
    """

    log_ref = models.CharField(max_length=40, db_collation="C")  # a code, as Person.person_ref
    crime_ref = models.CharField(max_length=40, blank=True)
    recorded_at = models.DateTimeField()
    offence_code = models.CharField(max_length=20, blank=True)
    offence = models.CharField(max_length=200, blank=True)
    flags = ArrayField(models.CharField(max_length=40), default=list, blank=True)
    victim = _person_by_reference("victim_ref", "log_entries_as_victim", db_index=False)
    suspect = _person_by_reference(
        "suspect_ref", "log_entries_as_suspect", db_index=False, null=True
    )
    relationship = models.CharField(max_length=20, blank=True)
    officer = models.CharField(max_length=120, blank=True)
    area = models.CharField(max_length=60, blank=True)
    summary = models.TextField(blank=True)
    # No database constraint either: PostgreSQL checks a foreign key row by row, which took
    # 6.6 s of a million-row import (measured); every value is the id of the import writing it.
    first_import = models.ForeignKey(
        LogImport, on_delete=models.PROTECT, related_name="+", db_index=False, db_constraint=False
    )
    last_import = models.ForeignKey(
        LogImport, on_delete=models.PROTECT, related_name="+", db_index=False, db_constraint=False
    )
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["recorded_at", "id"]
        constraints = [
            # A constraint rather than unique=True, which would add a second index on log_ref
            # (varchar_pattern_ops, for LIKE): nothing searches log references by prefix, and
            # building it cost 1.7 s of a million-row import (measured).
            models.UniqueConstraint(fields=["log_ref"], name="logentry_log_ref_key"),
        ]
        indexes = [
            # The scan's window rule and every case timeline read pairs through this. It also
            # serves a victim's entries with no suspect (suspect IS NULL, victim = …), so there is
            # no index by victim alone: nothing asks for a victim's entries with any suspect, and
            # building one took 2.1 s of a million-row import (measured).
            models.Index(fields=["suspect", "victim", "recorded_at"], name="logentry_pair_idx"),
        ]

    def __str__(self):
        return self.log_ref


class RejectedRow(models.Model):
    """A row of an export that could not be imported: what the coordinator is shown of it, the
    line number and the reason, and nothing more (the row's names and details stay in the
    force's records system, where it is corrected)."""

    log_import = models.ForeignKey(LogImport, on_delete=models.CASCADE, related_name="rejected")
    line_number = models.PositiveIntegerField()
    reason = models.CharField(max_length=300)

    class Meta:
        ordering = ["log_import", "line_number"]

    def __str__(self):
        return f"Line {self.line_number}: {self.reason}"


class Finding(models.Model):
    """What the scan found for one suspect-victim pair (or one tagged entry with no suspect)."""

    class Kind(models.TextChoices):
        TAGGED = "tagged", "Tagged as stalking"
        PATTERN = "pattern", "Pattern that looks like stalking"

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        REFERRED = "referred", "Referral created"
        LINKED = "linked", "Linked to a case"
        DISMISSED = "dismissed", "Dismissed"

    # "S|V" for a pair, "E|log_ref" for a tagged entry with no suspect: the scan's upsert key.
    key = models.CharField(max_length=100, unique=True)
    kind = models.CharField(max_length=10, choices=Kind.choices)
    victim = _person_by_reference("victim_ref", "+")
    suspect = _person_by_reference("suspect_ref", "+", null=True)
    first_seen = models.DateTimeField()
    last_seen = models.DateTimeField()
    entry_count = models.PositiveIntegerField()
    score = models.PositiveIntegerField()
    possible_serial = models.BooleanField(default=False)
    entries = models.ManyToManyField(LogEntry, related_name="findings")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    dismissed_reason = models.TextField(blank=True)
    referral = models.ForeignKey(
        "referrals.Referral", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    case = models.ForeignKey(
        "referrals.Case", on_delete=models.PROTECT, null=True, blank=True, related_name="findings"
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    # Changed by the scan only when the finding's evidence changed.
    updated_at = models.DateTimeField(default=timezone.now)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-score", "id"]
        indexes = [
            models.Index(fields=["status", "-score", "id"], name="finding_queue_idx"),
            models.Index(fields=["suspect", "victim"], name="finding_pair_idx"),
        ]

    def __str__(self):
        return f"Finding {self.pk}"

    @property
    def audit_label(self) -> str:
        return f"Finding {self.pk}"
