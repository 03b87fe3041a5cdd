"""Acts on a case as a whole: notes, sharing with a partner agency, referral to the ISAC service."""

from __future__ import annotations

from collections.abc import Sequence

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from stalking_clinic.accounts.models import Agency
from stalking_clinic.audit.models import AuditEvent
from stalking_clinic.audit.services import record
from stalking_clinic.services import ServiceError

from ..models import AgencyReferral, Case, CaseNote, Finding, Share
from .allocation import advocate_allocate_within
from .triage import isac_service


@transaction.atomic
def case_note_add(*, case: Case, by, text: str, kind: str = CaseNote.Kind.NOTE) -> CaseNote:
    if not text.strip():
        raise ServiceError("Enter the note.", field="text")
    note = CaseNote.objects.create(case=case, kind=kind, text=text.strip(), author=by)
    record(actor=by, action=AuditEvent.Action.COLLECTION, obj=note)
    return note


@transaction.atomic
def case_share(
    *,
    case: Case,
    agency: Agency,
    sections: Sequence[str],
    reason: str,
    by,
    request=None,
) -> Share:
    """Share parts of a case with a partner agency: an explicit, recorded act with a reason.

    Sharing again with the same agency replaces the sections shared; an empty list of sections
    stops sharing. Each act is logged as a disclosure to the agency (DPA 2018 s.62), with the
    page and the address it came from when a ``request`` made it.
    """
    if not agency.is_partner:
        raise ServiceError("Only partner agencies are shared with.", field="agency")
    if not reason.strip():
        raise ServiceError("Give the reason for sharing.", field="reason")
    unknown = set(sections) - set(Share.Section.values)
    if unknown:
        raise ServiceError("Choose sections from the list.", field="sections")
    share = Share.objects.select_for_update().filter(case=case, agency=agency).first()
    if not sections:
        if share is None:
            raise ServiceError("Choose what to share.", field="sections")
        share.delete()
        record(
            actor=by,
            action=AuditEvent.Action.ALTERATION,
            obj=case,
            changed_fields=["shares"],
            justification=f"Stopped sharing with {agency}: {reason}",
            request=request,
        )
        return share
    if share is None:
        share = Share.objects.create(
            case=case, agency=agency, sections=list(sections), reason=reason, shared_by=by
        )
    else:
        share.sections, share.reason, share.shared_by = list(sections), reason, by
        share.save(update_fields=["sections", "reason", "shared_by"])
    record(
        actor=by,
        action=AuditEvent.Action.DISCLOSURE,
        obj=case,
        recipient=str(agency),
        justification=f"{reason} (sections: {', '.join(sections)})",
        request=request,
    )
    return share


@transaction.atomic
def case_refer_to_isac(*, case: Case, by, reason: str, advocate=None) -> AgencyReferral:
    """Refer ``case`` to the ISAC service, to a named ``advocate`` of it (emailed a link) or, with
    none, for the service to allocate."""
    if not reason.strip():
        raise ServiceError("Give the reason for the referral.", field="reason")
    agency = isac_service()
    referral, created = AgencyReferral.objects.get_or_create(
        case=case, agency=agency, defaults={"reason": reason, "referred_by": by}
    )
    if not created:
        raise ServiceError(f"The case is already referred to {agency}.", field="reason")
    record(
        actor=by,
        action=AuditEvent.Action.DISCLOSURE,
        obj=case,
        recipient=str(agency),
        justification=f"Referred to the ISAC service: {reason}",
    )
    if advocate is not None:
        advocate_allocate_within(referral, advocate=advocate, by=by)
    return referral


@transaction.atomic
def case_log_entries_mark_seen(*, case: Case, by) -> int:
    """The owner has read the new police log entries on the case: stop flagging them."""
    return Finding.objects.filter(case=case, updated_at__gt=F("reviewed_at")).update(
        reviewed_at=timezone.now(), reviewed_by=by
    )
