"""Referrals area: people, cases, referrals and triage, risk assessments, safety plans, sharing."""

from .assessments import Instrument, QuestionSet, RiskAssessment, SRPLevel
from .cases import (
    STALKING_OFFENCES,
    AgencyReferral,
    Allocation,
    Case,
    CaseNote,
    CaseStatusChange,
    CloseReason,
    CriminalJusticeOutcome,
    Offence,
    RetentionReview,
    RiskDecision,
    Share,
    VictimVoice,
)
from .choices import Area, Relationship, RetentionGroup, RiskLevel
from .logs import Finding, LogEntry, LogImport, RejectedRow
from .people import Person
from .referrals import Referral, TriageDecision
from .safety import SafetyAction, SafetyActionChange

__all__ = [
    "STALKING_OFFENCES",
    "AgencyReferral",
    "Allocation",
    "Area",
    "Case",
    "CaseNote",
    "CaseStatusChange",
    "CloseReason",
    "CriminalJusticeOutcome",
    "Finding",
    "Instrument",
    "LogEntry",
    "LogImport",
    "Offence",
    "Person",
    "QuestionSet",
    "Referral",
    "RejectedRow",
    "Relationship",
    "RetentionGroup",
    "RetentionReview",
    "RiskAssessment",
    "RiskDecision",
    "RiskLevel",
    "SRPLevel",
    "SafetyAction",
    "SafetyActionChange",
    "Share",
    "TriageDecision",
    "VictimVoice",
]
