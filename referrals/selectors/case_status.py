"""Reads about a case's life: whether it is open or closed and why, what came in since it was
closed, and its criminal justice outcomes.

New information for a closed case is what arrived for its victim and one of its suspects after it
was closed: a referral still waiting for triage, or police log entries imported or changed since.
It prompts those who decide on the case to reopen it, unless another case of the same pair has it
already: one that is open, or one closed later (which the prompt is about instead). Triaging the
referral, reopening the case or keeping it closed (``case_keep_closed``) ends the prompt: after
keeping it closed, only what comes in later prompts again ("considered_at").
"""

from __future__ import annotations

from django.db.models import Exists, F, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce

from stalking_clinic.access import Perm, can
from stalking_clinic.accounts.models import Role

from ..models import Case, CaseStatusChange, CriminalJusticeOutcome, LogEntry, Referral, Share

# Those who decide on any case (``access.may_decide_on_case``); others, on the cases they own.
_DECIDE_ON_ANY_CASE = {Role.COORDINATOR, Role.TACTICAL_LEAD}


def _new_referrals() -> QuerySet[Referral]:
    """For a closed case query: referrals for its pair since it closed, waiting for triage."""
    return Referral.objects.filter(
        status=Referral.Status.WAITING,
        victim_id=OuterRef("victim_id"),
        suspect__cases_as_suspect=OuterRef("pk"),
        submitted_at__gt=OuterRef("considered_at"),
    )


def _new_log_entries() -> QuerySet[LogEntry]:
    """For a closed case query: its pair's police log entries imported or changed since it
    closed (an entry's ``updated_at`` moves only when an import adds or changes it)."""
    return LogEntry.objects.filter(
        victim_id=OuterRef("victim__person_ref"),
        suspect__cases_as_suspect=OuterRef("pk"),
        updated_at__gt=OuterRef("considered_at"),
    )


def _pair_has_a_later_case() -> Exists:
    """For a case query: another case of the same victim and a shared suspect that is open, or
    was closed after this one."""
    return Exists(
        Case.objects.filter(
            victim_id=OuterRef("victim_id"), suspects__cases_as_suspect=OuterRef("pk")
        )
        .exclude(pk=OuterRef("pk"))
        .filter(Q(status=Case.Status.OPEN) | Q(closed_at__gt=OuterRef("closed_at")))
    )


def _kept_closed_since_closing() -> Subquery:
    """For a closed case query: when it was last kept closed after new information, since it
    closed (None if never)."""
    return Subquery(
        CaseStatusChange.objects.filter(
            case=OuterRef("pk"), kind=CaseStatusChange.Kind.KEPT, at__gt=OuterRef("closed_at")
        )
        .order_by("-at")
        .values("at")[:1]
    )


def closed_cases_with_new_information(cases: QuerySet[Case]) -> QuerySet[Case]:
    """The closed ones of ``cases`` with new information (see the module docstring), annotated
    ``considered_at`` (closed, or last kept closed), ``has_new_referral`` and
    ``has_new_log_entries``, most recently closed first."""
    return (
        cases.filter(status=Case.Status.CLOSED, closed_at__isnull=False)
        .annotate(considered_at=Coalesce(_kept_closed_since_closing(), F("closed_at")))
        .annotate(
            has_new_referral=Exists(_new_referrals()),
            has_new_log_entries=Exists(_new_log_entries()),
        )
        .filter(Q(has_new_referral=True) | Q(has_new_log_entries=True))
        .exclude(_pair_has_a_later_case())
        .select_related("victim", "owner")
        .order_by("-closed_at", "-pk")
    )


def cases_decided_on_by(user, cases: QuerySet[Case]) -> QuerySet[Case]:
    """Those of ``cases`` that ``user`` may decide on (``can(user, Perm.CASE_DECIDE, case)``), as
    a query: every case for the coordinator and tactical lead, their own cases for an owner."""
    if not can(user, Perm.CASE_DECIDE):
        return cases.none()
    if set(user.roles) & _DECIDE_ON_ANY_CASE:
        return cases
    return cases.filter(owner=user)


def new_information(case: Case) -> dict | None:
    """What came in for a closed case's pair since it closed, or None when nothing prompts
    reopening it: the waiting referrals, and how many police log entries."""
    if case.status != Case.Status.CLOSED:
        return None
    found = closed_cases_with_new_information(Case.objects.filter(pk=case.pk)).first()
    if found is None:
        return None
    referrals = Referral.objects.filter(
        status=Referral.Status.WAITING,
        victim_id=case.victim_id,
        suspect__in=case.suspects.all(),
        submitted_at__gt=found.considered_at,
    ).order_by("submitted_at")
    suspect_refs = [s.person_ref for s in case.suspects.all() if s.person_ref]
    log_entries = (
        LogEntry.objects.filter(
            victim_id=case.victim.person_ref,
            suspect_id__in=suspect_refs,
            updated_at__gt=found.considered_at,
        ).count()
        if found.has_new_log_entries
        else 0
    )
    return {"referrals": list(referrals), "log_entries": log_entries}


def status_panel(case: Case, *, user, sections) -> dict | None:
    """The case's status for its page: the latest closing (reason, outcome, who, when, review
    date) of a closed case, what came in since, and whether ``user`` may close or reopen it.
    For those who see the whole case."""
    if not sections.whole:
        return None
    closing = (
        case.status_changes.filter(kind=CaseStatusChange.Kind.CLOSED)
        .select_related("by")
        .order_by("-at", "-id")
        .first()
        if case.status == Case.Status.CLOSED
        else None
    )
    return {
        "closing": closing,
        "can_decide": can(user, Perm.CASE_DECIDE, case),
        "new_information": new_information(case),
    }


def outcomes_panel(case: Case, *, user, sections) -> dict | None:
    """The case's criminal justice outcomes, oldest first, for those who see its summary; the
    order an "order made" is about is linked for those who also see its orders."""
    if Share.Section.SUMMARY not in sections:
        return None
    outcomes = (
        CriminalJusticeOutcome.objects.filter(case=case)
        .select_related("recorded_by")
        .prefetch_related("record")
    )
    return {
        "outcomes": outcomes,
        "can_record": sections.whole and can(user, Perm.CASE_DECIDE, case),
        "show_records": Share.Section.ORDERS in sections,
    }
