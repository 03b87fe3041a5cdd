"""Orders and their service: recording the interim and full orders the court makes on an
application, and the day an order is served on the defendant.

s.5: an interim order lasts for the fixed period the court sets and "ceases to have effect, if it
has not already done so, on the determination of the main application".
s.2 (the full order) and s.3(1): "A stalking protection order has effect for a fixed period
specified in the order or until a further order is made"; s.3(2): "The fixed period must be at
least 2 years beginning with the day on which the order is made."
s.9(1): the defendant must notify their names and home address "within the period of 3 days
beginning with the date on which the order is served". Except, s.9(1)(a): not when a full order
replaces an interim order and the defendant has already notified under the interim order.
"""

from __future__ import annotations

import datetime

from django.db import transaction

from referrals.services.outcomes import outcome_record_order_made
from stalking_clinic.audit.models import AuditEvent
from stalking_clinic.audit.services import record
from stalking_clinic.services import ServiceError, lock_row, one_of

from ..deadlines import full_order_earliest_end, notification_due
from ..models import Application, Notification, Order
from .applications import BEFORE_COURT, application_stage_set
from .refusals import day

Stage = Application.Stage


@transaction.atomic
def order_record(
    *,
    application: Application,
    by,
    kind: str,
    made_on: datetime.date,
    ends_on: datetime.date | None = None,
    until_further_order: bool = False,
) -> Order:
    """Record an order the court made on the application.

    Interim (s.5): for the fixed period the court sets; the application moves to "interim".
    Full (s.2): s.3(1) "A stalking protection order has effect for a fixed period specified in
    the order or until a further order is made"; s.3(2) "The fixed period must be at least 2
    years beginning with the day on which the order is made." Recording it decides the
    application (granted) and ends its interim orders (s.5: they last until the main
    application is determined).
    """
    kind = one_of(kind, Order.Kind, "kind", "Choose interim or full order.")
    current = lock_row(application)
    if current.stage in {Stage.WITHDRAWN, Stage.REFUSED}:
        raise ServiceError(
            f"This application was {current.get_stage_display().lower()}: "
            "no order can be recorded on it."
        )
    if current.stage == Stage.GRANTED:
        raise ServiceError("This application was granted: its full order is already recorded.")
    if current.stage not in BEFORE_COURT:
        raise ServiceError("Record the application as applied to court before recording an order.")

    if kind == Order.Kind.INTERIM:
        if until_further_order:
            raise ServiceError(
                "Only a full order can last until further order: enter the date the interim "
                "order ends.",
                field="until_further_order",
            )
        if ends_on is None:
            raise ServiceError("Enter the date the interim order ends.", field="ends_on")
        if ends_on <= made_on:
            raise ServiceError(
                "The interim order must end after the day it was made.", field="ends_on"
            )
    else:
        if ends_on is None and not until_further_order:
            raise ServiceError(
                "Enter the date the order ends, or say it lasts until further order.",
                field="ends_on",
            )
        if ends_on is not None and until_further_order:
            raise ServiceError(
                "An order until further order has no end date: clear one or the other.",
                field="until_further_order",
            )
        if ends_on is not None:
            earliest = full_order_earliest_end(made_on)
            if ends_on < earliest:
                raise ServiceError(
                    "A full order must last at least 2 years beginning with the day it is made "
                    f"(s.3(2)): the earliest end date allowed is {day(earliest)}.",
                    field="ends_on",
                )

    order = Order.objects.create(
        application=current,
        kind=kind,
        made_on=made_on,
        ends_on=ends_on,
        until_further_order=bool(until_further_order),
        recorded_by=by,
    )
    if kind == Order.Kind.INTERIM:
        if current.stage == Stage.APPLIED:
            application_stage_set(
                application=current, by=by, to_stage=Stage.INTERIM, reason="Interim order made"
            )
    else:
        application_stage_set(
            application=current, by=by, to_stage=Stage.GRANTED, reason="Full order made", on=made_on
        )
    if current.kind == Application.Kind.ORDER:
        # The case's criminal justice outcomes count the orders made (not the variations or
        # renewals of one): recorded here, with the order, never typed by hand.
        outcome_record_order_made(
            case_id=current.case_id,
            order=order,
            by=by,
            on=made_on,
            detail=f"{order.get_kind_display()} "
            f"({'s.5' if kind == Order.Kind.INTERIM else 's.2'} Stalking Protection Act 2019)",
        )
    record(actor=by, action=AuditEvent.Action.COLLECTION, obj=order)
    application.refresh_from_db()
    return order


@transaction.atomic
def order_mark_served(*, order: Order, by, served_on: datetime.date) -> Notification | None:
    """Record the day the order was served on the defendant, and start the notification.

    s.9(1): the defendant must notify their names and home address "within the period of 3
    days beginning with the date on which the order is served". Except, s.9(1)(a): not when a
    full order replaces an interim order and the defendant has already notified under the
    interim order. Returns the notification started, or None.
    """
    current = Order.objects.select_for_update().get(pk=order.pk)
    if current.served_on is not None:
        raise ServiceError(
            f"This order was already recorded as served on {day(current.served_on)}.",
            field="served_on",
        )
    if served_on < current.made_on:
        raise ServiceError(
            f"An order cannot be served before it is made ({day(current.made_on)}).",
            field="served_on",
        )
    Order.objects.filter(pk=current.pk).update(served_on=served_on)
    current.refresh_from_db()
    order.served_on = served_on

    notification = None
    replaces_notified_interim = (
        current.kind == Order.Kind.FULL
        and Notification.objects.filter(
            order__application_id=current.application_id,
            order__kind=Order.Kind.INTERIM,
            kind=Notification.Kind.INITIAL,
            received_on__isnull=False,
        ).exists()
    )
    if not replaces_notified_interim:
        notification = Notification.objects.create(
            order=current,
            kind=Notification.Kind.INITIAL,
            starts_on=served_on,
            due_on=notification_due(served_on),
            recorded_by=by,
        )
    record(actor=by, action=AuditEvent.Action.ALTERATION, obj=current, changed_fields=["served_on"])
    return notification
