"""Breaches: recording a breach of an order, and what came of it.

s.8(1): "A person who, without reasonable excuse, breaches a stalking protection order is guilty
of an offence." An order cannot be breached before it is made, nor a breach recorded before it
happens.
"""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone

from stalking_clinic.audit.models import AuditEvent
from stalking_clinic.audit.services import record
from stalking_clinic.services import ServiceError, locked, save_changes

from ..models import Breach, Order
from .refusals import day, last_change


@transaction.atomic
def breach_record(
    *,
    order: Order,
    by,
    occurred_on: datetime.date,
    description: str,
    log_ref: str = "",
    action_taken: str = "",
) -> Breach:
    """Record a breach of an order. s.8(1): "A person who, without reasonable excuse, breaches a
    stalking protection order is guilty of an offence." An order cannot be breached before it
    is made, nor a breach recorded before it happens."""
    if occurred_on < order.made_on:
        raise ServiceError(
            f"A breach cannot be before the order was made ({day(order.made_on)}).",
            field="occurred_on",
        )
    if occurred_on > timezone.localdate():
        raise ServiceError("The breach date cannot be in the future.", field="occurred_on")
    description = description.strip()
    if not description:
        raise ServiceError("Describe what happened.", field="description")
    breach = Breach.objects.create(
        order=order,
        occurred_on=occurred_on,
        description=description,
        log_ref=log_ref.strip(),
        action_taken=action_taken.strip(),
        recorded_by=by,
    )
    record(actor=by, action=AuditEvent.Action.COLLECTION, obj=breach)
    return breach


@transaction.atomic
def breach_outcome_record(
    *, breach: Breach, by, version: int, outcome: str, outcome_recorded_on: datetime.date | None
) -> Breach:
    """Record what came of a breach (charge, caution, conviction, no further action, ...).
    Without a date, today."""
    current = locked(breach, version, what="breach", last_change=last_change)
    outcome = outcome.strip()
    if not outcome:
        raise ServiceError("Enter the outcome.", field="outcome")
    recorded_on = outcome_recorded_on or timezone.localdate()
    if recorded_on < current.occurred_on:
        raise ServiceError(
            "The outcome cannot be recorded before the breach happened.",
            field="outcome_recorded_on",
        )
    changed = save_changes(current, {"outcome": outcome, "outcome_recorded_on": recorded_on})
    if changed:
        record(actor=by, action=AuditEvent.Action.ALTERATION, obj=current, changed_fields=changed)
    return current
