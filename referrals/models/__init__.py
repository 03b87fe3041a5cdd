"""Referrals area: people, cases, referrals and triage, risk assessments, safety plans, sharing."""

from .assessments import Instrument, QuestionSet, RiskAssessment, SRPLevel
from .cases import AgencyReferral, Case, CaseNote, Share, VictimVoice
from .choices import Area, Relationship, RiskLevel
from .logs import Finding, LogEntry, LogImport, RejectedRow
from .people import Person
from .referrals import Referral, TriageDecision
from .safety import SafetyAction, SafetyActionChange

__all__ = [
    "AgencyReferral",
    "Area",
    "Case",
    "CaseNote",
    "Finding",
    "Instrument",
    "LogEntry",
    "LogImport",
    "Person",
    "QuestionSet",
    "Referral",
    "RejectedRow",
    "Relationship",
    "RiskAssessment",
    "RiskLevel",
    "SRPLevel",
    "SafetyAction",
    "SafetyActionChange",
    "Share",
    "TriageDecision",
    "VictimVoice",
]
