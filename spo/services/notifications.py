"""Notifications: what the defendant must notify to the police, and what they notified. (The
first notification starts when the order is served: ``orders.order_mark_served``.)

s.9(3)-(4): a new name or a new home address must be notified "within the period of 3 days
beginning with the date on which that happens".
s.10: the defendant notifies in person at a police station, and the police acknowledge the
notification in writing.
"""

from __future__ import annotations

import datetime

from django.db import transaction

from stalking_clinic.audit.models import AuditEvent
from stalking_clinic.audit.services import record
from stalking_clinic.services import ServiceError, locked, save_changes

from ..deadlines import notification_due
from ..models import Notification, Order
from .refusals import day, last_change


@transaction.atomic
def notification_add(*, order: Order, by, kind: str, starts_on: datetime.date) -> Notification:
    """A new name or new home address the defendant must notify.

    s.9(3)-(4): "within the period of 3 days beginning with the date on which that happens".
    """
    if kind not in {Notification.Kind.NEW_NAME, Notification.Kind.NEW_ADDRESS}:
        raise ServiceError("Choose a new name or a new home address.", field="kind")
    if starts_on < order.made_on:
        raise ServiceError(
            f"The change must be on or after the day the order was made ({day(order.made_on)}).",
            field="starts_on",
        )
    notification = Notification.objects.create(
        order=order,
        kind=Notification.Kind(kind),
        starts_on=starts_on,
        due_on=notification_due(starts_on),
        recorded_by=by,
    )
    record(actor=by, action=AuditEvent.Action.COLLECTION, obj=notification)
    return notification


@transaction.atomic
def notification_record(
    *,
    notification: Notification,
    by,
    version: int,
    received_on: datetime.date | None,
    details: str,
    acknowledged_on: datetime.date | None,
) -> Notification:
    """Record what the defendant notified (in person at a police station, s.10) and the police's
    acknowledgement, which s.10 requires in writing and which follows receipt."""
    current = locked(notification, version, what="notification", last_change=last_change)
    if acknowledged_on is not None:
        if received_on is None:
            raise ServiceError(
                "Enter the date the notification was received before its acknowledgement.",
                field="acknowledged_on",
            )
        if acknowledged_on < received_on:
            raise ServiceError(
                "The acknowledgement cannot be before the notification was received.",
                field="acknowledged_on",
            )
    changed = save_changes(
        current,
        {
            "received_on": received_on,
            "details": details.strip(),
            "acknowledged_on": acknowledged_on,
        },
    )
    if changed:
        record(actor=by, action=AuditEvent.Action.ALTERATION, obj=current, changed_fields=changed)
    return current
