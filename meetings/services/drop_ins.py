"""Writes of drop-in sessions: the advice given to an officer who came, about a case if there is
one (the advice then shows on the case's timeline). One transaction, one audit entry; a refusal
is a ``ServiceError``."""

from __future__ import annotations

from django.db import transaction

from referrals.models import Case
from stalking_clinic.audit.models import AuditEvent
from stalking_clinic.audit.services import record
from stalking_clinic.services import ServiceError

from ..models import DropInAdvice, Meeting
from .checks import refuse_if_cancelled


@transaction.atomic
def drop_in_advice_record(
    *,
    meeting: Meeting,
    by,
    advice: str,
    officer=None,
    officer_name: str = "",
    case: Case | None = None,
    question: str = "",
) -> DropInAdvice:
    """Record the advice given to an officer who came to a drop-in session, about a case if
    there is one (the advice then shows on the case's timeline)."""
    if meeting.kind != Meeting.Kind.DROP_IN:
        raise ServiceError("Advice is recorded at drop-in sessions only.")
    refuse_if_cancelled(meeting, "no advice can be recorded")
    officer_name = officer_name.strip()
    if officer is None and not officer_name:
        raise ServiceError("Choose the officer or enter their name.", "officer")
    advice = advice.strip()
    if not advice:
        raise ServiceError("Enter the advice given.", "advice")
    given = DropInAdvice.objects.create(
        meeting=meeting,
        officer=officer,
        officer_name="" if officer is not None else officer_name,
        case=case,
        question=question.strip(),
        advice=advice,
        recorded_by=by,
    )
    record(actor=by, action=AuditEvent.Action.COLLECTION, obj=given)
    return given
