"""Choices shared across the referrals area's models: risk levels (with their rank), relationships
and policing areas."""

from django.db import models

from stalking_clinic.choices import TaggedChoices


class RiskLevel(TaggedChoices, tag_set="risk", blank=("Not assessed", "light-blue")):
    STANDARD = "standard", "grey", "Standard"
    MEDIUM = "medium", "orange", "Medium"
    HIGH = "high", "red", "High"

    @property
    def rank(self) -> int:
        return RISK_RANK[self.value]


# Sorting key: a referral with no risk yet sorts below standard.
RISK_RANK = {"high": 3, "medium": 2, "standard": 1, "": 0}


class Relationship(models.TextChoices):
    """Suspect to victim, as in the police log export."""

    EX_PARTNER = "ex-partner", "Ex-partner"
    PARTNER = "partner", "Partner"
    FAMILY = "family", "Family member"
    ACQUAINTANCE = "acquaintance", "Acquaintance"
    COLLEAGUE = "colleague", "Colleague"
    NEIGHBOUR = "neighbour", "Neighbour"
    STRANGER = "stranger", "Stranger"
    UNKNOWN = "unknown", "Not known"


class Area(models.TextChoices):
    GLOUCESTER = "Gloucester", "Gloucester"
    CHELTENHAM = "Cheltenham", "Cheltenham"
    STROUD = "Stroud", "Stroud"
    FOREST_OF_DEAN = "Forest of Dean", "Forest of Dean"
    COTSWOLD = "Cotswold", "Cotswold"
    TEWKESBURY = "Tewkesbury", "Tewkesbury"


class RetentionGroup(models.TextChoices):
    """Management of Police Information's retention groups (referrals/retention.py maps cases
    onto them)."""

    GROUP_1 = "group_1", "Group 1: certain public protection matters"
    GROUP_2 = "group_2", "Group 2: other public protection matters"
    GROUP_3 = "group_3", "Group 3: all other offences and no crime"
