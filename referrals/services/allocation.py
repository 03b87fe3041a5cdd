"""Giving a case to a named advocate of the ISAC service, or to a new owner: each change kept as
an ``Allocation`` (who, from whom, why, by whom), audited, and on the case's timeline.

An advocate allocated a case is told by email (a link to the case only: ``referrals/reminders.py``)
and sees it at the top of their home page until they open it (``case_opened_by``).
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from stalking_clinic.audit.models import AuditEvent
from stalking_clinic.audit.services import record
from stalking_clinic.reminders.services import reminders_dismiss, reminders_send_now
from stalking_clinic.services import ChangedByAnotherUser, ServiceError, locked, save_changes

from ..models import AgencyReferral, Allocation, Case
from ..reminders import ALLOCATED, allocation_due
from ..selectors.allocation import isac_advocates, isac_referral
from ..selectors.referrals import triage_staff


def advocate_allocate_within(
    agency_referral: AgencyReferral, *, advocate, by, reason: str = ""
) -> Allocation:
    """Allocate the case of ``agency_referral`` (a referral to an ISAC service, locked by the
    caller, within its transaction) to ``advocate``, a named ISAC of that service: recorded,
    audited, and the advocate emailed a link once the transaction commits."""
    if not isac_advocates(agency_referral.agency).filter(pk=advocate.pk).exists():
        raise ServiceError(f"Choose an advocate of {agency_referral.agency}.", field="advocate")
    previous_id = agency_referral.advocate_id
    if previous_id == advocate.pk:
        raise ServiceError(
            f"The case is already allocated to {advocate.display_name}.", field="advocate"
        )
    now = timezone.now()
    allocation = Allocation.objects.create(
        case=agency_referral.case,
        kind=Allocation.Kind.ADVOCATE,
        to=advocate,
        previous_id=previous_id,
        reason=reason.strip(),
        by=by,
        at=now,
    )
    AgencyReferral.objects.filter(pk=agency_referral.pk).update(
        advocate=advocate, advocate_allocated_at=now, advocate_seen_at=None
    )
    agency_referral.advocate, agency_referral.advocate_allocated_at = advocate, now
    agency_referral.advocate_seen_at = None
    record(
        actor=by,
        action=AuditEvent.Action.ALTERATION,
        obj=agency_referral.case,
        changed_fields=["advocate"],
        justification=(
            f"Allocated to {advocate.display_name}"
            + (" (reallocated)" if previous_id else "")
            + (f": {reason.strip()}" if reason.strip() else "")
        ),
    )
    reminders_send_now([allocation_due(allocation)])
    return allocation


@transaction.atomic
def case_allocate_advocate(
    *, case: Case, advocate, by, reason: str = "", previous_advocate: int | None = None
) -> Allocation:
    """Allocate (or reallocate) ``case``, referred to the ISAC service, to one of its named
    advocates. ``previous_advocate`` is the advocate (a user id, None for none) the person
    allocating saw: if someone allocated the case meanwhile, nothing is saved and they are told
    who. Reallocating needs a reason, kept with the allocation."""
    referral = isac_referral(case)
    if referral is None:
        raise ServiceError("The case has not been referred to the ISAC service.", field="advocate")
    referral = (
        AgencyReferral.objects.select_for_update().select_related("agency").get(pk=referral.pk)
    )
    if referral.advocate_id != previous_advocate:
        latest = (
            Allocation.objects.filter(case=case, kind=Allocation.Kind.ADVOCATE)
            .select_related("by", "to")
            .last()
        )
        who = (
            f"{latest.by.display_name} allocated the case to {latest.to.display_name} at "
            f"{timezone.localtime(latest.at):%H:%M on %d/%m/%Y}"
            if latest
            else "Someone else changed the case's advocate"
        )
        raise ChangedByAnotherUser(
            f"{who} while you were choosing. Your allocation was not saved: check the advocate "
            "shown and allocate again if it is still needed.",
            by=latest.by.display_name if latest else "",
        )
    if referral.advocate_id and not reason.strip():
        raise ServiceError("Give the reason for reallocating the case.", field="reason")
    referral.case = case
    return advocate_allocate_within(referral, advocate=advocate, by=by, reason=reason)


@transaction.atomic
def case_owner_change(*, case: Case, version: int, owner, reason: str, by) -> Allocation:
    """Give ``case`` to a new owner (one of the clinic's staff) with a reason. Versioned on the
    case: a change of risk, status or owner saved since the form was opened refuses it, naming
    who changed the case first."""
    if not reason.strip():
        raise ServiceError("Give the reason for changing the owner.", field="reason")
    if not triage_staff().filter(pk=owner.pk).exists():
        raise ServiceError("Choose one of the clinic's staff.", field="owner")
    current = locked(case, version, what="case")
    previous_id = current.owner_id
    if previous_id == owner.pk:
        raise ServiceError(f"{owner.display_name} already owns the case.", field="owner")
    save_changes(current, {"owner_id": owner.pk})
    allocation = Allocation.objects.create(
        case=current,
        kind=Allocation.Kind.OWNER,
        to=owner,
        previous_id=previous_id,
        reason=reason.strip(),
        by=by,
    )
    record(
        actor=by,
        action=AuditEvent.Action.ALTERATION,
        obj=current,
        changed_fields=["owner"],
        justification=f"Owner changed to {owner.display_name}: {reason.strip()}",
    )
    case.owner, case.owner_id, case.version = owner, owner.pk, current.version
    return allocation


def case_opened_by(case: Case, user) -> bool:
    """``user`` opened ``case``'s page: if they are its newly allocated advocate, the case stops
    showing as new on their home page, and an email telling them of it not sent yet is not sent.
    One conditional UPDATE; true, and more, the first time only."""
    opened = AgencyReferral.objects.filter(
        case=case, advocate=user, advocate_seen_at__isnull=True
    ).update(advocate_seen_at=timezone.now())
    if opened:
        allocations = Allocation.objects.filter(
            case=case, kind=Allocation.Kind.ADVOCATE, to=user
        ).values_list("pk", flat=True)
        reminders_dismiss(
            kind=ALLOCATED, keys=[f"allocation:{pk}" for pk in allocations], recipient=user
        )
    return bool(opened)
