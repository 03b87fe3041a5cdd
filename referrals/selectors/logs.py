"""Reads about police logs: recent imports, the findings queue, a finding's page and the referral
form a finding fills in."""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils import timezone

from ..models import Area, Case, Finding, LogImport

PAGE_SIZE = 50
# The imports page lists the latest this many.
RECENT_IMPORTS = 20


def log_imports_recent() -> QuerySet[LogImport]:
    """The latest imports, newest first, with who uploaded each."""
    return LogImport.objects.select_related("uploaded_by")[:RECENT_IMPORTS]


def findings_queue(*, status: str = "", kind: str = "", serial: bool = False) -> QuerySet[Finding]:
    """Findings, highest score first (keyset-paged on score and id by the view)."""
    # Prefetched, not joined: a person missing from the register must not hide a finding.
    findings = Finding.objects.prefetch_related("victim", "suspect")
    if status != "all":
        findings = findings.filter(status=status or Finding.Status.OPEN)
    if kind:
        findings = findings.filter(kind=kind)
    if serial:
        findings = findings.filter(possible_serial=True)
    return findings.order_by("-score", "id")


def referral_initial_from_finding(finding: Finding) -> dict:
    """A referral form filled in from the finding's log entries, for the coordinator to check."""
    entries = list(finding.entries.order_by("recorded_at"))
    latest = entries[-1] if entries else None
    victim, suspect = finding.victim, finding.suspect
    lines = [
        f"{timezone.localtime(e.recorded_at):%d/%m/%Y} {e.log_ref} "
        f"({e.offence or e.offence_code}): {e.summary}"
        for e in entries
    ]
    relationships = [e.relationship for e in entries if e.relationship]
    return {
        "crime_refs": ", ".join(dict.fromkeys(e.crime_ref for e in entries if e.crime_ref)),
        "log_refs": ", ".join(e.log_ref for e in entries),
        "officer_in_case": latest.officer if latest else "",
        "area": latest.area if latest and latest.area in Area.values else "",
        "victim_ref": victim.person_ref if victim else finding.victim_id,
        "victim_first_name": victim.first_name if victim else "",
        "victim_last_name": victim.last_name if victim else "",
        "victim_dob": victim.date_of_birth if victim else None,
        "suspect_known": "yes" if finding.suspect_id else "no",
        "suspect_ref": finding.suspect_id or "",
        "suspect_first_name": suspect.first_name if suspect else "",
        "suspect_last_name": suspect.last_name if suspect else "",
        "suspect_dob": suspect.date_of_birth if suspect else None,
        "relationship": max(set(relationships), key=relationships.count) if relationships else "",
        "unwanted": "\n".join(lines),
        "repeated": f"{finding.entry_count} log entries between "
        f"{timezone.localtime(finding.first_seen):%d/%m/%Y} and "
        f"{timezone.localtime(finding.last_seen):%d/%m/%Y}.",
        "requests": ["clinic_review"],
    }


def open_cases_for_finding(finding: Finding) -> list[Case]:
    """Open cases with this finding's victim (and suspect): where the coordinator may link it."""
    cases = Case.objects.filter(status=Case.Status.OPEN, victim__person_ref=finding.victim_id)
    if finding.suspect_id:
        cases = cases.filter(suspects__person_ref=finding.suspect_id)
    return list(cases.select_related("owner").distinct()[:20])


def finding_page(finding: Finding) -> dict:
    """A finding's page: its log entries in the order they happened, and the open cases it may be
    linked to."""
    return {
        "finding": finding,
        "entries": finding.entries.order_by("recorded_at"),
        "open_cases": open_cases_for_finding(finding),
    }
