"""Risk assessment instruments (S-DASH, DASH, Stalking Risk Profile): their versioned wording
(question sets) and completed assessments."""

from django.conf import settings
from django.db import models
from django.utils import timezone

from .cases import Case
from .choices import RiskLevel


class Instrument(models.TextChoices):
    SDASH = "sdash", "S-DASH"
    DASH = "dash", "DASH"
    SRP = "srp", "Stalking Risk Profile"


class SRPLevel(models.TextChoices):
    LOW = "low", "Low"
    MODERATE = "moderate", "Moderate"
    HIGH = "high", "High"


class QuestionSet(models.Model):
    """Versioned wording of a licensed instrument, loaded by the force (load_question_sets).

    ``questions`` is a list of ``{"key": ..., "text": ...}``; for S-DASH and DASH,
    ``thresholds`` gives the yes-counts at which the indicated risk becomes medium and high.
    A set that an assessment has used is never changed: new wording is a new version.
    """

    instrument = models.CharField(max_length=10, choices=Instrument.choices)
    version = models.CharField(max_length=40)
    title = models.CharField(max_length=200)
    questions = models.JSONField()
    thresholds = models.JSONField(default=dict, blank=True)
    is_current = models.BooleanField(default=False)
    loaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["instrument", "-loaded_at"]
        constraints = [
            models.UniqueConstraint(fields=["instrument", "version"], name="one_version"),
            models.UniqueConstraint(
                fields=["instrument"],
                condition=models.Q(is_current=True),
                name="one_current_set_per_instrument",
            ),
        ]

    def __str__(self):
        return f"{self.get_instrument_display()} {self.version}"

    def indicated_level(self, yes_count: int) -> str:
        if yes_count >= self.thresholds.get("high", 10**6):
            return RiskLevel.HIGH
        if yes_count >= self.thresholds.get("medium", 10**6):
            return RiskLevel.MEDIUM
        return RiskLevel.STANDARD


# The four summary judgements of the Stalking Risk Profile, in the order the SRP gives them: each
# is a field of a RiskAssessment, with its ``<domain>_rationale``.
SRP_DOMAINS = ("violence", "persistence", "recurrence", "psychosocial_damage")


class RiskAssessment(models.Model):
    """A completed S-DASH, DASH or Stalking Risk Profile, tied to the wording it used.

    Never edited: an amendment is a new assessment that names the one it amends.
    """

    class Answer(models.TextChoices):
        YES = "yes", "Yes"
        NO = "no", "No"
        NOT_KNOWN = "not_known", "Not known"

    class Motivation(models.TextChoices):
        REJECTED = "rejected", "Rejected"
        RESENTFUL = "resentful", "Resentful"
        INTIMACY_SEEKING = "intimacy_seeking", "Intimacy seeking"
        INCOMPETENT_SUITOR = "incompetent_suitor", "Incompetent suitor"
        PREDATORY = "predatory", "Predatory"

    class Proposal(models.TextChoices):
        PENDING = "pending", "Waiting for the owner's decision"
        ACCEPTED = "accepted", "Accepted: the case's risk was lowered"
        DECLINED = "declined", "Not accepted: the case's risk was kept"

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="assessments")
    instrument = models.CharField(max_length=10, choices=Instrument.choices)
    question_set = models.ForeignKey(QuestionSet, on_delete=models.PROTECT, related_name="+")
    assessed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    assessed_at = models.DateTimeField(default=timezone.now)
    amends = models.OneToOneField(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="amended_by"
    )
    amendment_reason = models.TextField(blank=True)
    # S-DASH and DASH
    answers = models.JSONField(default=dict, blank=True)
    yes_count = models.PositiveSmallIntegerField(null=True, blank=True)
    indicated_level = models.CharField(max_length=10, choices=RiskLevel.choices, blank=True)
    # The assessor's judgement: may be higher than the count suggests, with reasons.
    risk_level = models.CharField(max_length=10, choices=RiskLevel.choices)
    judgement_reasons = models.TextField(blank=True)
    # What became of the level it proposes for the case: "" when it matched or raised the case's
    # risk; PENDING when lower, until the owner decides (``RiskDecision``).
    proposal = models.CharField(max_length=10, choices=Proposal.choices, blank=True)
    # Stalking Risk Profile
    prior_relationship = models.CharField(max_length=200, blank=True)
    motivation = models.CharField(max_length=20, choices=Motivation.choices, blank=True)
    violence = models.CharField(max_length=10, choices=SRPLevel.choices, blank=True)
    violence_rationale = models.TextField(blank=True)
    persistence = models.CharField(max_length=10, choices=SRPLevel.choices, blank=True)
    persistence_rationale = models.TextField(blank=True)
    recurrence = models.CharField(max_length=10, choices=SRPLevel.choices, blank=True)
    recurrence_rationale = models.TextField(blank=True)
    psychosocial_damage = models.CharField(max_length=10, choices=SRPLevel.choices, blank=True)
    psychosocial_damage_rationale = models.TextField(blank=True)
    recommended_management = models.TextField(blank=True)

    class Meta:
        ordering = ["assessed_at", "id"]

    def __str__(self):
        return f"{self.get_instrument_display()} {self.assessed_at:%d %b %Y}"

    @property
    def audit_label(self) -> str:
        return f"Assessment {self.pk} on case C-{self.case_id:05d}"
