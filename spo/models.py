"""Stalking Protection Orders (Stalking Protection Act 2019): applications, the orders courts make,
hearings, the defendant's notifications and breaches. Every application belongs to a case
(``referrals.Case``); the referrals app knows nothing of this one. The reminders that keep their
dates from being missed are made by ``reminders.py`` and kept in ``stalking_clinic.reminders``.
"""

import datetime

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone

from stalking_clinic.choices import TaggedChoices


class Application(models.Model):
    """An application to the magistrates' court: for an order (s.1), or to vary, renew or discharge
    one (s.7), or an appeal to the Crown Court. The force's solicitor prepares and presents it."""

    class Kind(models.TextChoices):
        ORDER = "order", "Stalking protection order"
        VARIATION = "variation", "Variation"
        RENEWAL = "renewal", "Renewal"
        DISCHARGE = "discharge", "Discharge"
        APPEAL = "appeal", "Appeal"

    class Stage(TaggedChoices, tag_set="spo_stage"):
        CONSIDERED = "considered", "grey", "Considered"
        DRAFTING = "drafting", "light-blue", "Drafting"
        LEGAL_REVIEW = "legal_review", "light-blue", "Legal review"
        APPLIED = "applied", "blue", "Applied to court"
        INTERIM = "interim", "yellow", "Interim order made"
        FULL_HEARING = "full_hearing", "orange", "Full hearing"
        GRANTED = "granted", "green", "Granted"
        REFUSED = "refused", "red", "Refused"
        WITHDRAWN = "withdrawn", "grey", "Withdrawn"

    DECIDED = frozenset({Stage.GRANTED, Stage.REFUSED, Stage.WITHDRAWN})

    class Applicant(models.TextChoices):
        POLICE = "police", "The chief officer of police"
        DEFENDANT = "defendant", "The defendant"

    case = models.ForeignKey(
        "referrals.Case", on_delete=models.PROTECT, related_name="spo_applications"
    )
    kind = models.CharField(max_length=12, choices=Kind.choices, default=Kind.ORDER)
    # Variation, renewal, discharge and appeal concern an order already made.
    order = models.ForeignKey(
        "Order",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="later_applications",
    )
    applicant = models.CharField(max_length=10, choices=Applicant.choices, default=Applicant.POLICE)
    defendant = models.ForeignKey(
        "referrals.Person", on_delete=models.PROTECT, related_name="spo_applications_against"
    )
    protected_people = models.ManyToManyField(
        "referrals.Person", related_name="spo_applications_protecting"
    )
    stage = models.CharField(max_length=14, choices=Stage.choices, default=Stage.CONSIDERED)
    court = models.CharField(max_length=120, blank=True)
    # The three tests of s.1(1), each with the evidence relied on.
    acts_evidence = models.TextField(
        "(a) Acts associated with stalking the defendant has carried out", blank=True
    )
    risk_evidence = models.TextField("(b) The risk of stalking the defendant poses", blank=True)
    necessity_evidence = models.TextField(
        "(c) Why the order is necessary to protect the person or people named", blank=True
    )
    solicitor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="spo_applications"
    )
    officer_in_case = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="spo_applications_as_officer",
        help_text="The officer sees the order and can download its details.",
    )
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(default=timezone.now)
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["stage", "-created_at"], name="spo_application_stage_idx")]

    def __str__(self):
        return f"SPO-{self.pk:05d}" if self.pk else "New SPO application"

    @property
    def reference(self) -> str:
        return str(self)

    @property
    def audit_label(self) -> str:
        return self.reference  # a reference, never a name

    @property
    def is_decided(self) -> bool:
        return self.stage in self.DECIDED


class StageChange(models.Model):
    """Who moved an application from one stage to another, when and why."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="stage_changes"
    )
    from_stage = models.CharField(max_length=14, choices=Application.Stage.choices, blank=True)
    to_stage = models.CharField(max_length=14, choices=Application.Stage.choices)
    reason = models.TextField()
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self):
        return f"{self.application}: {self.from_stage or 'new'} → {self.to_stage}"


class Condition(models.Model):
    """A prohibition or requirement the application asks for (s.1(2)), in the solicitor's order."""

    class Kind(models.TextChoices):
        PROHIBITION = "prohibition", "Prohibition"
        REQUIREMENT = "requirement", "Requirement"

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="conditions"
    )
    kind = models.CharField(max_length=12, choices=Kind.choices)
    text = models.TextField()
    position = models.PositiveIntegerField()
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["kind", "position", "id"]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.text[:60]}"


class Order(models.Model):
    """An order the court made on an application: interim (s.5) or full (s.2, s.3)."""

    class Kind(models.TextChoices):
        INTERIM = "interim", "Interim order"
        FULL = "full", "Full order"

    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="orders")
    kind = models.CharField(max_length=8, choices=Kind.choices)
    made_on = models.DateField()
    # A fixed end date set by the court, or (full orders only) until further order (s.3(1)).
    ends_on = models.DateField(null=True, blank=True)
    until_further_order = models.BooleanField(default=False)
    # When an interim order stopped: the day the main application was decided (s.5), or a
    # discharge. Null while it is in force.
    ended_on = models.DateField(null=True, blank=True)
    ended_reason = models.CharField(max_length=200, blank=True)
    served_on = models.DateField(null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["made_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(until_further_order=False) | models.Q(kind="full"),
                name="spo_only_full_orders_until_further_order",
            ),
            models.CheckConstraint(
                condition=models.Q(until_further_order=True, ends_on__isnull=True)
                | models.Q(until_further_order=False, ends_on__isnull=False),
                name="spo_order_end_date_or_until_further_order",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} on {self.application}"

    def get_absolute_url(self) -> str:
        """Where the order is shown: its application's page (the case page links to it from the
        case's "order made" outcome without the referrals area knowing about orders)."""
        return reverse("spo:application_detail", args=[self.application_id]) + f"#order-{self.pk}"

    def in_force_on(self, day) -> bool:
        if day < self.made_on or (self.ended_on and day >= self.ended_on):
            return False
        return self.until_further_order or day <= self.ends_on


class Notification(models.Model):
    """What the defendant must tell the police in person (s.9, s.10): their names and home address
    within 3 days of service, and any new name or address within 3 days of it."""

    class Kind(models.TextChoices):
        INITIAL = "initial", "Names and home address after service"
        NEW_NAME = "new_name", "New name"
        NEW_ADDRESS = "new_address", "New home address"

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="notifications")
    kind = models.CharField(max_length=12, choices=Kind.choices)
    # The day the 3 days begin with: service, or the day the name or address changed.
    starts_on = models.DateField()
    due_on = models.DateField()
    received_on = models.DateField(null=True, blank=True)
    details = models.TextField(blank=True, help_text="What the defendant notified.")
    acknowledged_on = models.DateField(
        null=True, blank=True, help_text="The date of the police's written acknowledgement."
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["due_on", "id"]
        indexes = [models.Index(fields=["received_on", "due_on"], name="spo_notification_due_idx")]

    def __str__(self):
        return f"{self.get_kind_display()} due {self.due_on:%d %B %Y}"


class Hearing(models.Model):
    class Kind(models.TextChoices):
        FIRST = "first", "First hearing"
        INTERIM = "interim", "Interim order hearing"
        DIRECTIONS = "directions", "Directions"
        FULL = "full", "Full hearing"
        VARIATION = "variation", "Variation hearing"
        RENEWAL = "renewal", "Renewal hearing"
        DISCHARGE = "discharge", "Discharge hearing"
        APPEAL = "appeal", "Appeal hearing"

    class Outcome(models.TextChoices):
        PENDING = "", "Not yet heard"
        ADJOURNED = "adjourned", "Adjourned"
        INTERIM_MADE = "interim_made", "Interim order made"
        GRANTED = "granted", "Granted"
        REFUSED = "refused", "Refused"
        WITHDRAWN = "withdrawn", "Withdrawn"
        OTHER = "other", "Other"

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="hearings")
    kind = models.CharField(max_length=12, choices=Kind.choices)
    court = models.CharField(max_length=120)
    starts_at = models.DateTimeField()
    outcome = models.CharField(max_length=14, choices=Outcome.choices, blank=True)
    notes = models.TextField(blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["starts_at", "id"]
        indexes = [models.Index(fields=["starts_at"], name="spo_hearing_starts_idx")]

    def __str__(self):
        return f"{self.get_kind_display()} at {self.court}"


class Breach(models.Model):
    """A breach of an order (s.8: an offence without reasonable excuse) and what came of it."""

    order = models.ForeignKey(Order, on_delete=models.PROTECT, related_name="breaches")
    occurred_on = models.DateField()
    description = models.TextField("What happened")
    log_ref = models.CharField("Log or crime reference", max_length=40, blank=True)
    action_taken = models.TextField(blank=True)
    outcome = models.TextField(blank=True)
    outcome_recorded_on = models.DateField(null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["occurred_on", "id"]
        verbose_name_plural = "breaches"

    def __str__(self):
        return f"Breach of {self.order} on {self.occurred_on:%d %B %Y}"


class CalendarFeed(models.Model):
    """A user's secret calendar subscription address. Only a hash of the token is kept: the token
    itself is shown once, and a new one can replace it at any time."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="spo_calendar_feed"
    )
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    last_used_at = models.DateTimeField(null=True, blank=True)

    def __str__(self):
        return f"Calendar feed of {self.user}"

    @property
    def expires_at(self):
        """When the address stops working: ``CALENDAR_FEED_DAYS`` after it was made."""
        return self.created_at + datetime.timedelta(days=settings.CALENDAR_FEED_DAYS)
