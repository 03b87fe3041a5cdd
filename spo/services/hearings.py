"""Hearings: the magistrates' court hearings of an application (s.1(1): the chief officer "may
apply to a magistrates' court"), added, moved or adjourned, and their outcome. The Act sets no
rule for listing them; these checks are the clinic's: a hearing has a kind, a court, and a date
and time.
"""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone

from stalking_clinic.audit.models import AuditEvent
from stalking_clinic.audit.services import record
from stalking_clinic.services import ServiceError, locked, one_of, save_changes

from ..models import Application, Hearing
from .refusals import last_change


def _check_hearing(*, kind: str, court: str, starts_at: datetime.datetime) -> str:
    kind = one_of(kind, Hearing.Kind, "kind", "Choose the kind of hearing.")
    if not court.strip():
        raise ServiceError("Enter the court.", field="court")
    if starts_at is None or timezone.is_naive(starts_at):
        raise ServiceError("Enter the date and time of the hearing.", field="starts_at")
    return kind


@transaction.atomic
def hearing_add(
    *,
    application: Application,
    by,
    kind: str,
    court: str,
    starts_at: datetime.datetime,
    notes: str = "",
) -> Hearing:
    """Add a court hearing of the application."""
    kind = _check_hearing(kind=kind, court=court, starts_at=starts_at)
    hearing = Hearing.objects.create(
        application=application,
        kind=kind,
        court=court.strip(),
        starts_at=starts_at,
        notes=notes.strip(),
        recorded_by=by,
    )
    record(actor=by, action=AuditEvent.Action.COLLECTION, obj=hearing)
    return hearing


@transaction.atomic
def hearing_update(
    *,
    hearing: Hearing,
    by,
    version: int,
    kind: str,
    court: str,
    starts_at: datetime.datetime,
    outcome: str,
    notes: str,
) -> Hearing:
    """Change a hearing (moved, adjourned) or record its outcome."""
    current = locked(hearing, version, what="hearing", last_change=last_change)
    kind = _check_hearing(kind=kind, court=court, starts_at=starts_at)
    outcome = one_of(outcome or "", Hearing.Outcome, "outcome", "Choose the outcome.")
    changed = save_changes(
        current,
        {
            "kind": kind,
            "court": court.strip(),
            "starts_at": starts_at,
            "outcome": outcome,
            "notes": notes.strip(),
        },
    )
    if changed:
        record(actor=by, action=AuditEvent.Action.ALTERATION, obj=current, changed_fields=changed)
    return current
