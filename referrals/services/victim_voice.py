"""The victim's voice: their own account, wishes and concerns, recorded by the ISAC."""

from __future__ import annotations

from django.db import transaction

from stalking_clinic.audit.models import AuditEvent
from stalking_clinic.audit.services import record
from stalking_clinic.services import ServiceError

from ..models import Case, VictimVoice


@transaction.atomic
def victim_voice_record(
    *, case: Case, by, account: str, wishes: str = "", concerns: str = ""
) -> VictimVoice:
    """Record what the victim says now. Each recording is kept: a new one never replaces an
    earlier one, so the case shows how the victim's wishes and fears changed over time."""
    if not account.strip():
        raise ServiceError("Enter the victim's account, in their words.", field="account")
    voice = VictimVoice.objects.create(
        case=case,
        account=account.strip(),
        wishes=wishes.strip(),
        concerns=concerns.strip(),
        recorded_by=by,
    )
    record(actor=by, action=AuditEvent.Action.COLLECTION, obj=voice)
    return voice
