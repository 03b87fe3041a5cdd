"""A case and what hangs off it: its decided risk and its history, closure and reopening,
allocation to an owner and to a named advocate, criminal justice outcomes, referrals to agencies,
shares with partner agencies, notes and the victim's voice."""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.utils import timezone

from .choices import Area, Relationship, RetentionGroup, RiskLevel
from .people import Person


class CloseReason(models.TextChoices):
    """Why a case is closed. The first four also close a case at triage."""

    NO_CLINIC_ROLE = "no_clinic_role", "No further action by the clinic"
    ADVICE_GIVEN = "advice_given", "Advice given to the officer"
    TRANSFERRED = "transferred", "Transferred to another force"
    DUPLICATE = "duplicate", "Duplicate of another case"
    VICTIM_DISENGAGED = "victim_disengaged", "Victim disengaged"
    RISK_REDUCED = "risk_reduced", "Risk reduced"
    CONVICTED_MANAGED = "convicted_managed", "Suspect convicted and managed"


class Case(models.Model):
    """The hub: a victim, one or more suspects, risk, owner. Other apps point at it.

    Its risk is a decision (``RiskDecision``): the level, who decided it, when, why and when to
    review it are the latest decision's, kept here too so that lists and counts read one row.
    ``version`` moves on with every change of risk, status or owner, so that two people changing
    the case at once cannot overwrite each other silently.
    """

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        CLOSED = "closed", "Closed"
        # Reviewed and disposed of: its personal data erased for good (services/retention.py).
        DISPOSED = "disposed", "Disposed of"

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
    risk_decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    risk_decided_at = models.DateTimeField(null=True, blank=True)
    risk_reasons = models.TextField(blank=True)
    risk_review_on = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    closed_reason = models.CharField(max_length=20, choices=CloseReason.choices, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    # A closed case's record is reviewed (kept or disposed of) on this date; its MoPI group set
    # the date's default (referrals/retention.py).
    review_on = models.DateField(null=True, blank=True)
    retention_group = models.CharField(max_length=10, choices=RetentionGroup.choices, blank=True)
    # Set by the daily job once review_on has come; cleared by a decision to keep.
    review_due_since = models.DateField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)
    # Set when risk rises to high: the multi-agency clinic meeting picks these up.
    for_clinic_meeting_since = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["status", "risk_level"], name="case_status_risk_idx"),
            models.Index(
                fields=["owner", "status", "risk_review_on"], name="case_owner_review_idx"
            ),
        ]

    def __str__(self):
        return self.reference

    @property
    def reference(self) -> str:
        return f"C-{self.pk:05d}"

    @property
    def audit_label(self) -> str:
        return f"Case {self.reference}"


class RiskDecision(models.Model):
    """A decision on a case's risk level, with its reasons and review date: the case's risk is the
    latest one's. Assessments propose a level; an owner, triage or a clinic meeting decides."""

    class Source(models.TextChoices):
        TRIAGE = "triage", "Triage"
        OWNER = "owner", "Decision on the case"
        ASSESSMENT = "assessment", "Risk assessment"
        MEETING = "meeting", "Clinic meeting"
        REFERRAL = "referral", "New referral or police log entries"

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="risk_decisions")
    level = models.CharField(max_length=10, choices=RiskLevel.choices)
    previous_level = models.CharField(max_length=10, choices=RiskLevel.choices, blank=True)
    reasons = models.TextField()
    review_on = models.DateField(null=True, blank=True)
    source = models.CharField(max_length=20, choices=Source.choices)
    # The assessment that raised the level, or whose lower proposal this decision answers.
    assessment = models.ForeignKey(
        "referrals.RiskAssessment",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="risk_decisions",
    )
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    decided_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["decided_at", "id"]

    def __str__(self):
        return f"Risk {self.get_level_display().lower()} on {self.case}"


class CaseStatusChange(models.Model):
    """A case closed (with a reason and the outcome of the clinic's work), reopened (with a
    reason), or kept closed when something new came in (with a reason): the case's history of
    status, on its timeline."""

    class Kind(models.TextChoices):
        CLOSED = "closed", "Case closed"
        REOPENED = "reopened", "Case reopened"
        # New information came in for a closed case; whoever decides on it kept it closed.
        KEPT = "kept", "Case kept closed"

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="status_changes")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    reason = models.CharField(max_length=20, choices=CloseReason.choices, blank=True)
    # Closing: the outcome of the clinic's work. Reopening or keeping closed: why.
    text = models.TextField()
    review_on = models.DateField(null=True, blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.case}"


class Allocation(models.Model):
    """A case given to an owner, or to a named advocate of the ISAC service: each change kept."""

    class Kind(models.TextChoices):
        OWNER = "owner", "Case owner"
        ADVOCATE = "advocate", "ISAC advocate"

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="allocations")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    to = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    previous = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reason = models.TextField(blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self):
        return f"{self.case} allocated to {self.to}"


class Offence(models.TextChoices):
    STALKING = "pha_2a", "Stalking (s.2A Protection from Harassment Act 1997)"
    STALKING_FEAR = (
        "pha_4a",
        "Stalking involving fear of violence or serious alarm or distress (s.4A PHA 1997)",
    )
    HARASSMENT = "pha_2", "Harassment (s.2 PHA 1997)"
    FEAR_OF_VIOLENCE = "pha_4", "Putting people in fear of violence (s.4 PHA 1997)"
    SPO_BREACH = "spa_8", "Breach of a stalking protection order (s.8 Stalking Protection Act 2019)"
    OTHER = "other", "Another offence"


STALKING_OFFENCES = frozenset({Offence.STALKING, Offence.STALKING_FEAR})


class CriminalJusticeOutcome(models.Model):
    """One dated criminal justice outcome on a case, as data the clinic's figures count."""

    class Kind(models.TextChoices):
        CRIME_RECORDED = "crime_recorded", "Crime recorded"
        CHARGED = "charged", "Charged"
        NFA = "nfa", "No further action"
        CAUTION = "caution", "Caution"
        CONVICTED = "convicted", "Convicted"
        ACQUITTED = "acquitted", "Acquitted"
        RESTRAINING_ORDER = "restraining_order", "Restraining order on conviction"
        SPO_MADE = "spo_made", "Stalking protection order made"

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="outcomes")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    on = models.DateField()
    offence = models.CharField(max_length=10, choices=Offence.choices, blank=True)
    offence_other = models.CharField(max_length=200, blank=True)
    nfa_reason = models.TextField(blank=True)
    detail = models.TextField(blank=True)
    # The record the outcome is about, in another area (an SPO for "SPO made").
    record_type = models.ForeignKey(
        ContentType, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    record_id = models.PositiveBigIntegerField(null=True, blank=True)
    record = GenericForeignKey("record_type", "record_id")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["on", "recorded_at", "id"]
        indexes = [models.Index(fields=["kind", "on"], name="cj_outcome_kind_on_idx")]

    def __str__(self):
        return f"{self.get_kind_display()} on {self.case}"

    @property
    def offence_label(self) -> str:
        if self.offence == Offence.OTHER:
            return self.offence_other
        return self.get_offence_display()


class AgencyReferral(models.Model):
    """The clinic referred the case to an agency (the ISAC service, probation, …). For the ISAC
    service, ``advocate`` is the named ISAC allocated (empty: left to the service to allocate);
    ``advocate_seen_at`` is when that advocate first opened the case after allocation."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="agency_referrals")
    agency = models.ForeignKey("accounts.Agency", on_delete=models.PROTECT, related_name="+")
    reason = models.TextField()
    referred_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    referred_at = models.DateTimeField(default=timezone.now)
    advocate = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="isac_allocations",
    )
    advocate_allocated_at = models.DateTimeField(null=True, blank=True)
    advocate_seen_at = models.DateTimeField(null=True, blank=True)

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
        # What clinic meetings said about the case: behaviours, motivation, history, mental
        # health, what each agency knows, decisions. Without it a partner sees of a meeting's
        # discussion only what its other sections allow (the risk agreed, with the summary).
        DISCUSSIONS = "discussions", "Clinic discussions"

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


class RetentionReview(models.Model):
    """A review of a closed case's record (Management of Police Information): kept, with the
    next review date and why, or disposed of, with why. Holds no personal data, so that a
    disposed case's reviews say what was decided, by whom and when."""

    class Decision(models.TextChoices):
        KEEP = "keep", "Keep"
        DISPOSE = "dispose", "Dispose of"

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="retention_reviews")
    decision = models.CharField(max_length=10, choices=Decision.choices)
    retention_group = models.CharField(max_length=10, choices=RetentionGroup.choices)
    reason = models.TextField()
    next_review_on = models.DateField(null=True, blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(decision="dispose", next_review_on__isnull=True)
                | models.Q(decision="keep", next_review_on__isnull=False),
                name="retention_review_keep_has_next_date",
            )
        ]

    def __str__(self):
        return f"{self.get_decision_display()}: {self.case}"
