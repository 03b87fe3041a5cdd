"""The single place that decides who may do what.

Two layers:
- role permissions: which roles may use an area or perform an act (``ROLE_PERMISSIONS``);
- record rules: whether this user may act on this record (e.g. a partner agency sees only the cases
  shared with it). Apps register a rule per permission with ``record_rule``; ``can`` applies both.
"""

from __future__ import annotations

from collections.abc import Callable
from enum import StrEnum
from typing import Any

from stalking_clinic.accounts.roles import Role


class Perm(StrEnum):
    HOME = "home.view"
    REFERRALS = "referrals.use"
    MEETINGS = "meetings.use"
    MEETINGS_MANAGE = "meetings.manage"
    ACTIONS = "meetings.actions"
    SPO = "spo.use"
    SPO_ORDERS_VIEW = "spo.orders_view"
    TRAINING = "training.use"
    TRAINING_MANAGE = "training.manage"
    TRAINING_BOOK = "training.book"
    TRAINING_COMPLIANCE = "training.compliance"
    CPD = "training.cpd"
    REFERRAL_CREATE = "referrals.create"
    TRIAGE = "referrals.triage"
    CASES_VIEW = "cases.view"
    CASE_NOTE = "cases.note"
    CASE_DECIDE = "cases.decide"
    CASE_ALLOCATE = "cases.allocate"
    RECORDS_REVIEW = "cases.records_review"
    ASSESS = "cases.assess"
    SAFETY_PLAN = "cases.safety_plan"
    VICTIM_VOICE = "cases.victim_voice"
    SHARE = "cases.share"
    PEOPLE_VIEW = "people.view"
    PEOPLE_EDIT = "people.edit"
    LOGS_IMPORT = "logs.import"
    FINDINGS_REVIEW = "logs.review"
    AUDIT_VIEW = "audit.view"
    ACCESS_LOG_VIEW = "audit.access_log"
    USERS_MANAGE = "accounts.manage"


_CLINIC = {Role.COORDINATOR, Role.TACTICAL_LEAD, Role.SOLICITOR, Role.ISAC}
_POLICE = {Role.SUPERVISOR, Role.OFFICER, Role.CHAMPION}

ROLE_PERMISSIONS: dict[Perm, frozenset[str]] = {
    # Every signed-in account, even one not yet given a role, has a home page (telling it so).
    Perm.HOME: frozenset(Role.values),
    # Officers and champions refer; partners see what is shared with them.
    Perm.REFERRALS: frozenset(_CLINIC | {Role.OFFICER, Role.CHAMPION, Role.PARTNER}),
    Perm.MEETINGS: frozenset(_CLINIC | {Role.PARTNER}),
    # The coordinator convenes meetings and the tactical lead chairs them: they schedule, set the
    # agenda, record attendance and discussions, and create actions.
    Perm.MEETINGS_MANAGE: frozenset({Role.COORDINATOR, Role.TACTICAL_LEAD}),
    # Which actions each user sees and updates is a record rule (meetings/access.py).
    Perm.ACTIONS: frozenset(_CLINIC | {Role.PARTNER}),
    # Only the solicitor, coordinator and tactical lead change SPO applications.
    Perm.SPO: frozenset({Role.SOLICITOR, Role.COORDINATOR, Role.TACTICAL_LEAD}),
    # Which orders the others see is a record rule (spo/access.py): the officer in the case sees
    # the order; a partner agency sees it only when the case's orders are shared with it.
    Perm.SPO_ORDERS_VIEW: frozenset(
        {Role.SOLICITOR, Role.COORDINATOR, Role.TACTICAL_LEAD, Role.OFFICER, Role.CHAMPION}
        | {Role.PARTNER}
    ),
    # Supervisors book their teams; officers see their own bookings; clinic staff record their
    # own CPD. Which trainees and bookings each sees is a record rule (training/access.py).
    Perm.TRAINING: frozenset(_CLINIC | _POLICE),
    # The coordinator runs the programme (the tactical lead stands in): courses, sessions, the
    # officer list, attendance, the champions register. A session's trainer records its attendance.
    Perm.TRAINING_MANAGE: frozenset({Role.COORDINATOR, Role.TACTICAL_LEAD}),
    Perm.TRAINING_BOOK: frozenset({Role.SUPERVISOR, Role.COORDINATOR, Role.TACTICAL_LEAD}),
    Perm.TRAINING_COMPLIANCE: frozenset({Role.SUPERVISOR, Role.COORDINATOR, Role.TACTICAL_LEAD}),
    Perm.CPD: frozenset(_CLINIC),
    Perm.REFERRAL_CREATE: frozenset(
        {Role.COORDINATOR, Role.TACTICAL_LEAD, Role.ISAC, Role.OFFICER, Role.CHAMPION, Role.PARTNER}
    ),
    Perm.TRIAGE: frozenset({Role.COORDINATOR, Role.TACTICAL_LEAD}),
    # Which cases each of these roles sees is a record rule (referrals/access.py).
    Perm.CASES_VIEW: frozenset(_CLINIC | {Role.PARTNER}),
    Perm.CASE_NOTE: frozenset(_CLINIC),
    # Deciding a case's risk, closing, reopening and recording its outcomes: its owner (clinic
    # staff), the coordinator or the tactical lead; whose case it is, a record rule.
    Perm.CASE_DECIDE: frozenset({Role.COORDINATOR, Role.TACTICAL_LEAD, Role.ISAC}),
    # Reviewing closed records, kept or disposed of (Management of Police Information).
    Perm.RECORDS_REVIEW: frozenset({Role.COORDINATOR, Role.TACTICAL_LEAD}),
    # Giving a case to an owner or to a named advocate: the coordinator and tactical lead; an
    # ISAC allocates within their own service (a record rule, referrals/access.py).
    Perm.CASE_ALLOCATE: frozenset({Role.COORDINATOR, Role.TACTICAL_LEAD, Role.ISAC}),
    Perm.ASSESS: frozenset({Role.ISAC, Role.COORDINATOR}),
    Perm.SAFETY_PLAN: frozenset({Role.ISAC, Role.COORDINATOR}),
    Perm.VICTIM_VOICE: frozenset({Role.ISAC}),
    Perm.SHARE: frozenset({Role.COORDINATOR, Role.TACTICAL_LEAD}),
    Perm.PEOPLE_VIEW: frozenset({Role.COORDINATOR, Role.TACTICAL_LEAD, Role.SOLICITOR}),
    Perm.PEOPLE_EDIT: frozenset({Role.COORDINATOR, Role.TACTICAL_LEAD}),
    # Police logs hold everyone the force dealt with, not just clinic cases: coordinator only.
    Perm.LOGS_IMPORT: frozenset({Role.COORDINATOR}),
    Perm.FINDINGS_REVIEW: frozenset({Role.COORDINATOR, Role.TACTICAL_LEAD}),
    # Administrators run the system and the audit, but see no case data unless given a case role.
    # The tactical lead reviews unusual access (the alert links to the account's audit log).
    Perm.AUDIT_VIEW: frozenset({Role.ADMINISTRATOR, Role.TACTICAL_LEAD}),
    # "Who has seen this record", per case and person: references only, no names.
    Perm.ACCESS_LOG_VIEW: frozenset({Role.COORDINATOR, Role.TACTICAL_LEAD, Role.ADMINISTRATOR}),
    Perm.USERS_MANAGE: frozenset({Role.ADMINISTRATOR}),
}

RecordRule = Callable[[Any, Any], bool]
_record_rules: dict[str, RecordRule] = {}


def record_rule(perm: str) -> Callable[[RecordRule], RecordRule]:
    """Register the record-level rule for ``perm``: ``rule(user, obj) -> bool``."""

    def register(rule: RecordRule) -> RecordRule:
        if perm in _record_rules:
            raise ValueError(f"A record rule for {perm} is already registered")
        _record_rules[perm] = rule
        return rule

    return register


def permissions_for(user) -> frozenset[str]:
    """Every permission the user's roles give, cached on the user object for the request."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return frozenset()
    cached = getattr(user, "_clinic_permissions", None)
    if cached is None:
        roles = set(user.roles)
        cached = frozenset(
            {Perm.HOME} | {perm for perm, allowed in ROLE_PERMISSIONS.items() if roles & allowed}
        )
        user._clinic_permissions = cached
    return cached


def can(user, perm: str, obj: Any = None) -> bool:
    """May ``user`` do ``perm`` (to ``obj``, when one is given)?"""
    if perm not in permissions_for(user):
        return False
    if obj is None:
        return True
    rule = _record_rules.get(perm)
    return True if rule is None else bool(rule(user, obj))
