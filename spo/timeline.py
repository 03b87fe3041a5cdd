"""What the protection orders area puts on a case's timeline, in the "Stalking protection orders"
section: a partner agency sees these entries only when the case's orders are shared with it.

Each source is one query, however many applications the case has. Orders and breaches carry a
calendar day: they are placed at its start, in England.
"""

from __future__ import annotations

import datetime

from django.utils import dateformat, timezone
from django.utils.text import Truncator

from referrals.models import Share
from referrals.timeline import TimelineEntry, timeline_source

from .deadlines import local_midnight
from .models import Breach, Hearing, Order, StageChange

ORDERS = Share.Section.ORDERS


def _day(day: datetime.date) -> str:
    return dateformat.format(day, "j F Y")


@timeline_source(ORDERS)
def stage_changes(case):
    changes = StageChange.objects.filter(application__case=case).select_related("by", "application")
    for change in changes:
        application = change.application
        if change.from_stage:
            title = (
                f"{application.reference} moved from "
                f"{change.get_from_stage_display().lower()} to "
                f"{change.get_to_stage_display().lower()}"
            )
        else:
            title = f"{application.reference} ({application.get_kind_display().lower()}) started"
        yield TimelineEntry(
            change.at, "Protection order", title, by=change.by.display_name, detail=change.reason
        )


@timeline_source(ORDERS)
def orders(case):
    for order in Order.objects.filter(application__case=case).select_related(
        "application", "recorded_by"
    ):
        reference = order.application.reference
        ends = (
            "until further order" if order.until_further_order else f"until {_day(order.ends_on)}"
        )
        lines = [f"Served {_day(order.served_on)}"] if order.served_on else ["Not yet served"]
        yield TimelineEntry(
            local_midnight(order.made_on),
            "Protection order",
            f"{order.get_kind_display()} made on {reference}, {ends}",
            by=order.recorded_by.display_name,
            lines=lines,
        )
        if order.ended_on:
            yield TimelineEntry(
                local_midnight(order.ended_on),
                "Protection order",
                f"{order.get_kind_display()} on {reference} ended",
                detail=order.ended_reason,
            )


@timeline_source(ORDERS)
def hearings(case):
    """Hearings already held; the ones to come are on the application page and calendar."""
    past = Hearing.objects.filter(
        application__case=case, starts_at__lte=timezone.now()
    ).select_related("application", "recorded_by")
    for hearing in past:
        yield TimelineEntry(
            hearing.starts_at,
            "Court hearing",
            f"{hearing.get_kind_display()} on {hearing.application.reference} at {hearing.court}",
            by=hearing.recorded_by.display_name,
            detail=hearing.notes,
            lines=[f"Outcome: {hearing.get_outcome_display()}"],
        )


@timeline_source(ORDERS)
def breaches(case):
    for breach in Breach.objects.filter(order__application__case=case).select_related(
        "order__application", "recorded_by"
    ):
        lines = [f"Outcome: {breach.outcome}" if breach.outcome else "Outcome: not yet recorded"]
        if breach.log_ref:
            lines.insert(0, f"Reference: {breach.log_ref}")
        yield TimelineEntry(
            local_midnight(breach.occurred_on),
            "Breach of order",
            f"Breach of the {breach.order.get_kind_display().lower()} on "
            f"{breach.order.application.reference}",
            by=breach.recorded_by.display_name,
            detail=Truncator(breach.description).chars(200),
            lines=lines,
        )
