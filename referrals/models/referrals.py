"""A referral, as an officer (or the log scan) sent it, and the coordinator's triage decision."""

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.utils import timezone

from .cases import Case
from .choices import Area, Relationship, RiskLevel
from .people import Person


class Referral(models.Model):
    """A request for the clinic's help: from an officer's form or from the police log scan."""

    class Source(models.TextChoices):
        OFFICER = "officer", "Officer"
        CHAMPION = "champion", "Champion"
        ISAC = "isac", "ISAC"
        PARTNER = "partner", "Partner agency"
        LOG_SCAN = "log_scan", "Police log scan"

    class Status(models.TextChoices):
        WAITING = "waiting", "Waiting for triage"
        TRIAGED = "triaged", "Triaged"

    class Request(models.TextChoices):
        ADVICE = "advice", "Advice"
        CLINIC_REVIEW = "clinic_review", "Clinic review"
        SPO = "spo", "Stalking Protection Order consideration"

    source = models.CharField(max_length=10, choices=Source.choices)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.WAITING)
    referred_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="referrals_made",
    )
    submitted_at = models.DateTimeField(default=timezone.now)
    crime_refs = ArrayField(models.CharField(max_length=40), default=list, blank=True)
    log_refs = ArrayField(models.CharField(max_length=40), default=list, blank=True)
    victim = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    suspect = models.ForeignKey(
        Person, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # What the referrer typed about the victim and the suspect ({"victim": {person_ref,
    # first_name, last_name, date_of_birth}, "suspect": {...} or None}): all the referrer is ever
    # shown of them. Matching them to people already known is the coordinator's, at triage.
    typed_people = models.JSONField(default=dict, blank=True)
    relationship = models.CharField(max_length=20, choices=Relationship.choices)
    area = models.CharField(max_length=40, choices=Area.choices)
    officer_in_case = models.CharField(max_length=120, blank=True)
    fixated = models.TextField("Fixated", blank=True)
    obsessive = models.TextField("Obsessive", blank=True)
    unwanted = models.TextField("Unwanted")
    repeated = models.TextField("Repeated", blank=True)
    # S-DASH answers if the officer completed it: {question key: "yes" | "no" | "not_known"}.
    sdash_answers = models.JSONField(default=dict, blank=True)
    sdash_question_set = models.ForeignKey(
        "referrals.QuestionSet", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    requests = ArrayField(models.CharField(max_length=20, choices=Request.choices), default=list)
    # Risk shown in the queue: the officer's S-DASH suggestion until triage sets it.
    risk_level = models.CharField(max_length=10, choices=RiskLevel.choices, blank=True)
    risk_rank = models.PositiveSmallIntegerField(default=0, editable=False)
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="referrals_assigned",
    )
    # An open case for the same victim and suspect when the referral arrived.
    linked_case = models.ForeignKey(
        Case, on_delete=models.PROTECT, null=True, blank=True, related_name="referrals"
    )
    # Bumped on every change; a write that names an older version is refused (no silent overwrite).
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-risk_rank", "submitted_at", "id"]
        indexes = [
            # The triage queue's order, so each page is an index range scan at any size.
            models.Index(
                fields=["status", "-risk_rank", "submitted_at", "id"], name="referral_queue_idx"
            ),
            # The same order across every status ("All" in the queue's filter).
            models.Index(fields=["-risk_rank", "submitted_at", "id"], name="referral_order_idx"),
            models.Index(fields=["referred_by", "-submitted_at"], name="referral_by_idx"),
        ]

    def __str__(self):
        return self.reference

    @property
    def reference(self) -> str:
        return f"R-{self.pk:06d}"

    @property
    def audit_label(self) -> str:
        return f"Referral {self.reference}"

    def typed(self, role: str) -> dict | None:
        """What the referrer typed about the ``role`` ("victim" or "suspect"), or None."""
        return self.typed_people.get(role) or None

    @property
    def victim_name_as_typed(self) -> str:
        """The victim's name as the referrer typed it (as recorded, for older referrals)."""
        typed = self.typed("victim")
        if typed:
            return f"{typed['first_name']} {typed['last_name']}".strip()
        return self.victim.full_name

    def get_requests_display_list(self) -> list[str]:
        return [self.Request(value).label for value in self.requests]


class TriageDecision(models.Model):
    """The coordinator's decision on a referral: risk with reasons, an owner, and an outcome."""

    class Outcome(models.TextChoices):
        ADVICE = "advice", "Advice to the officer"
        ACCEPT = "accept", "Accept for clinic management"
        REFER_ISAC = "refer_isac", "Refer to the ISAC service"
        REFER_PARTNER = "refer_partner", "Refer to a partner agency"
        CROSS_BORDER = "cross_border", "Hand over to another force"
        NO_FURTHER_ACTION = "nfa", "No further action"

    referral = models.OneToOneField(Referral, on_delete=models.PROTECT, related_name="decision")
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="triage_decisions")
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    decided_at = models.DateTimeField(default=timezone.now)
    risk_level = models.CharField(max_length=10, choices=RiskLevel.choices)
    risk_reasons = models.TextField()
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    outcome = models.CharField(max_length=20, choices=Outcome.choices)
    advice = models.TextField(blank=True)
    partner_agency = models.ForeignKey(
        "accounts.Agency", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    other_force = models.CharField(max_length=120, blank=True)
    other_force_contact = models.CharField(max_length=200, blank=True)
    nfa_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["decided_at"]

    def __str__(self):
        return f"Triage of {self.referral}"
