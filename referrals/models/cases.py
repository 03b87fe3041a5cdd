"""A case and what hangs off it: referrals to agencies, shares with partner agencies, notes and the
victim's voice."""

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.utils import timezone

from .choices import Area, Relationship, RiskLevel
from .people import Person


class Case(models.Model):
    """The hub: a victim, one or more suspects, risk, owner. Other apps point at it."""

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        CLOSED = "closed", "Closed"

    victim = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="cases_as_victim")
    suspects = models.ManyToManyField(Person, related_name="cases_as_suspect", blank=True)
    relationship = models.CharField(max_length=20, choices=Relationship.choices)
    crime_refs = ArrayField(models.CharField(max_length=40), default=list, blank=True)
    log_refs = ArrayField(models.CharField(max_length=40), default=list, blank=True)
    officer_in_case = models.CharField(max_length=120, blank=True)
    area = models.CharField(max_length=40, choices=Area.choices)
    risk_level = models.CharField(max_length=10, choices=RiskLevel.choices)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="owned_cases"
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    closed_reason = models.TextField(blank=True)
    # Set when risk rises to high: the multi-agency clinic meeting picks these up.
    for_clinic_meeting_since = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["status", "risk_level"], name="case_status_risk_idx")]

    def __str__(self):
        return self.reference

    @property
    def reference(self) -> str:
        return f"C-{self.pk:05d}"

    @property
    def audit_label(self) -> str:
        return f"Case {self.reference}"


class AgencyReferral(models.Model):
    """The clinic referred the case to an agency (the ISAC service, probation, …)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="agency_referrals")
    agency = models.ForeignKey("accounts.Agency", on_delete=models.PROTECT, related_name="+")
    reason = models.TextField()
    referred_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    referred_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["referred_at"]
        constraints = [
            models.UniqueConstraint(fields=["case", "agency"], name="one_referral_per_agency")
        ]

    def __str__(self):
        return f"{self.case} referred to {self.agency}"


class Share(models.Model):
    """The single source of truth for what a partner agency may see of a case."""

    class Section(models.TextChoices):
        SUMMARY = "summary", "Summary (people, relationship, risk)"
        ASSESSMENTS = "assessments", "Risk assessments"
        SAFETY_PLAN = "safety_plan", "Safety plan"
        VICTIM_VOICE = "victim_voice", "Victim's voice"
        TIMELINE = "timeline", "Timeline and notes"
        ORDERS = "orders", "Stalking protection orders"

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="shares")
    agency = models.ForeignKey("accounts.Agency", on_delete=models.PROTECT, related_name="shares")
    sections = ArrayField(models.CharField(max_length=20, choices=Section.choices))
    reason = models.TextField()
    shared_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    shared_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["shared_at"]
        constraints = [
            models.UniqueConstraint(fields=["case", "agency"], name="one_share_per_agency")
        ]

    def __str__(self):
        return f"{self.case} shared with {self.agency}"

    @property
    def section_labels(self) -> list[str]:
        return [Share.Section(section).label for section in self.sections]


class CaseNote(models.Model):
    class Kind(models.TextChoices):
        NOTE = "note", "Note"
        ADVICE = "advice", "Advice given"

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="notes")
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.NOTE)
    text = models.TextField()
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at"]

    def __str__(self):
        return f"{self.get_kind_display()} on {self.case}"


class VictimVoice(models.Model):
    """The victim's own account, wishes and concerns, in their words, recorded by the ISAC."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="victim_voices")
    account = models.TextField("The victim's account, in their words")
    wishes = models.TextField("What the victim wants to happen", blank=True)
    concerns = models.TextField("The victim's concerns and fears", blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["recorded_at"]

    def __str__(self):
        return f"Victim's voice on {self.case}"
