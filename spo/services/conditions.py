"""Conditions: the prohibitions and requirements an order would impose on the defendant (s.2),
worded, reworded, taken out and put in order while the application is not yet decided. Once it
is decided they no longer change: a change to the order is a new application (s.7).
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import Max

from stalking_clinic.audit.models import AuditEvent
from stalking_clinic.audit.services import record
from stalking_clinic.services import (
    ServiceError,
    lock_row,
    locked,
    move_in_order,
    one_of,
    save_changes,
)

from ..models import Application, Condition
from .refusals import last_change, require_undecided


@transaction.atomic
def condition_add(*, application: Application, by, kind: str, text: str) -> Condition:
    """Add a prohibition or requirement the order would impose (s.2), last of its kind."""
    kind = one_of(kind, Condition.Kind, "kind", "Choose prohibition or requirement.")
    # Locking the application makes two adds at once take different positions.
    current = lock_row(application)
    require_undecided(current, "conditions")
    text = text.strip()
    if not text:
        raise ServiceError("Enter the wording of the condition.", field="text")
    last = current.conditions.filter(kind=kind).aggregate(last=Max("position"))["last"] or 0
    condition = Condition.objects.create(
        application=current, kind=kind, text=text, position=last + 1
    )
    record(actor=by, action=AuditEvent.Action.COLLECTION, obj=condition)
    return condition


@transaction.atomic
def condition_update(*, condition: Condition, by, version: int, text: str) -> Condition:
    """Reword a condition of an application not yet decided."""
    current = locked(condition, version, what="condition", last_change=last_change)
    require_undecided(current.application, "conditions")
    text = text.strip()
    if not text:
        raise ServiceError("Enter the wording of the condition.", field="text")
    changed = save_changes(current, {"text": text})
    if changed:
        record(actor=by, action=AuditEvent.Action.ALTERATION, obj=current, changed_fields=changed)
    return current


@transaction.atomic
def condition_remove(*, condition: Condition, by) -> None:
    """Take a condition out of an application not yet decided (an alteration of the
    application: the condition was never an order)."""
    application = lock_row(condition.application)
    require_undecided(application, "conditions")
    Condition.objects.filter(pk=condition.pk).delete()
    record(
        actor=by,
        action=AuditEvent.Action.ALTERATION,
        obj=application,
        changed_fields=["conditions"],
    )


@transaction.atomic
def condition_move(*, condition: Condition, by, direction: str) -> None:
    """Swap a condition with its neighbour of the same kind, "up" or "down"; at the end of the
    list nothing happens."""
    if direction not in {"up", "down"}:
        raise ServiceError("Move a condition up or down.", field="direction")
    application = lock_row(condition.application)
    require_undecided(application, "conditions")
    siblings = Condition.objects.filter(application=application, kind=condition.kind)
    this = move_in_order(condition, siblings, direction)
    if this is None:
        return
    record(actor=by, action=AuditEvent.Action.ALTERATION, obj=this, changed_fields=["position"])
