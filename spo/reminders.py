"""Reminders that keep protection order dates from being missed, for the application's solicitor.

A source for the one reminders job (``stalking_clinic.reminders``), registered from
``SpoConfig.ready``. It yields what is due:

- a hearing in a week, and again the day before (by local dates in Europe/London, so the
  reminder comes on the right day across a clock change);
- an interim order ending within 7 days: it lapses unless the full hearing decides (s.5);
- a full order made for a fixed term ending within SPO_ORDER_EXPIRY_WARNING_DAYS, with no renewal
  applied for: time to consider renewing it (s.7);
- a notification the defendant has not made by its due date (s.9, s.10: within 3 days);
- a breach (s.8) with no outcome 14 days after it was recorded.

Each is one reminder per event, date and recipient (the key holds the date, so a hearing moved to
another day gets a reminder of its own). The job emails each once, under its rule for a failed
send; the email (``templates/spo/email/<kind>.txt``) holds the reference and links, never a name
or an address. The reminders are also shown on the home page (``work.py``) and the calendar page
until dismissed.
"""

from __future__ import annotations

import datetime
import enum

from django.conf import settings
from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils import timezone
from django.utils.dateformat import format as date_format

from stalking_clinic.reminders.registry import Due, reminder_source

from .deadlines import BREACH_OUTCOME_CHASE_DAYS, local_midnight
from .models import Application, Breach, Hearing, Notification, Order

INTERIM_ENDING_DAYS = 7
HEARING_WEEK_DAYS = 7


class Kind(enum.StrEnum):
    """The kinds of protection order reminder; each has its email, spo/email/<name>.txt."""

    HEARING_WEEK = "spo.hearing_week"
    HEARING_DAY = "spo.hearing_day"
    INTERIM_ENDING = "spo.interim_ending"
    ORDER_EXPIRING = "spo.order_expiring"
    NOTIFICATION_OVERDUE = "spo.notification_overdue"
    BREACH_OUTCOME = "spo.breach_outcome"


@reminder_source
def reminders_due(now: datetime.datetime):
    """Every protection order reminder that should exist at ``now`` (one query per kind)."""
    today = timezone.localdate(now)
    yield from _hearings(now, today)
    yield from _interim_orders(today)
    yield from _fixed_orders(today)
    yield from _notifications(today)
    yield from _breaches(now)


def _due(kind, key, application_id, event_at, text, solicitor_id) -> Due:
    """A reminder to the application's solicitor: the message starts with its reference, and
    links to it."""
    reference = Application(pk=application_id).reference
    return Due(
        kind=kind,
        key=key,
        event_at=event_at,
        message=f"{reference}: {text}",
        url=reverse("spo:application_detail", args=[application_id]),
        context={"reference": reference},
        recipient_id=solicitor_id,
    )


def _day(day: datetime.date) -> str:
    return date_format(day, "l j F Y")


def _hearings(now, today):
    """A week before and the day before, comparing local dates: a hearing at 10:00 on Monday 30
    March 2026 is "tomorrow" all of Sunday 29 March, though that day is 23 hours long."""
    hearings = Hearing.objects.filter(
        outcome=Hearing.Outcome.PENDING,
        starts_at__gt=now,
        starts_at__lt=local_midnight(today + datetime.timedelta(days=HEARING_WEEK_DAYS + 1)),
        application__solicitor__is_active=True,
    ).values("pk", "kind", "court", "starts_at", "application_id", "application__solicitor_id")
    labels = dict(Hearing.Kind.choices)
    for row in hearings:
        local = timezone.localtime(row["starts_at"])
        days_away = (local.date() - today).days
        # The day-before reminder covers today and tomorrow; the week one the rest of the week.
        kind = Kind.HEARING_DAY if days_away <= 1 else Kind.HEARING_WEEK
        yield _due(
            kind,
            f"hearing:{row['pk']}:{local:%Y-%m-%dT%H:%M}",
            row["application_id"],
            row["starts_at"],
            f"{labels.get(row['kind'], row['kind']).lower()} "
            f"at {row['court']} on {_day(local.date())} at {local:%H:%M}",
            row["application__solicitor_id"],
        )


def _orders_ending(orders, kind, text):
    for row in orders.values("pk", "ends_on", "application_id", "application__solicitor_id"):
        yield _due(
            kind,
            f"order:{row['pk']}:{row['ends_on']:%Y-%m-%d}",
            row["application_id"],
            local_midnight(row["ends_on"]),
            f"{text} on {_day(row['ends_on'])}",
            row["application__solicitor_id"],
        )


def _in_force(**filters):
    return Order.objects.filter(
        ended_on__isnull=True,
        until_further_order=False,
        application__solicitor__is_active=True,
        **filters,
    )


def _interim_orders(today):
    orders = _in_force(
        kind=Order.Kind.INTERIM,
        ends_on__gte=today,
        ends_on__lte=today + datetime.timedelta(days=INTERIM_ENDING_DAYS),
    )
    yield from _orders_ending(orders, Kind.INTERIM_ENDING, "interim order ends")


def _fixed_orders(today):
    warning = datetime.timedelta(days=settings.SPO_ORDER_EXPIRY_WARNING_DAYS)
    renewal = Application.objects.filter(order=OuterRef("pk"), kind=Application.Kind.RENEWAL)
    orders = _in_force(
        kind=Order.Kind.FULL, ends_on__gte=today, ends_on__lte=today + warning
    ).exclude(Exists(renewal))
    yield from _orders_ending(
        orders, Kind.ORDER_EXPIRING, "full order ends; consider applying to renew it"
    )


def _notifications(today):
    overdue = Notification.objects.filter(
        received_on__isnull=True,
        due_on__lt=today,
        order__application__solicitor__is_active=True,
    ).values("pk", "kind", "due_on", "order__application_id", "order__application__solicitor_id")
    labels = dict(Notification.Kind.choices)
    for row in overdue:
        yield _due(
            Kind.NOTIFICATION_OVERDUE,
            f"notification:{row['pk']}:{row['due_on']:%Y-%m-%d}",
            row["order__application_id"],
            local_midnight(row["due_on"]),
            f"notification not received, due {_day(row['due_on'])} "
            f"({labels.get(row['kind'], row['kind']).lower()})",
            row["order__application__solicitor_id"],
        )


def _breaches(now):
    chase = datetime.timedelta(days=BREACH_OUTCOME_CHASE_DAYS)
    waiting = Breach.objects.filter(
        outcome="",
        outcome_recorded_on__isnull=True,
        recorded_at__lte=now - chase,
        order__application__solicitor__is_active=True,
    ).values(
        "pk", "occurred_on", "recorded_at", "order__application_id",
        "order__application__solicitor_id",
    )  # fmt: skip
    for row in waiting:
        yield _due(
            Kind.BREACH_OUTCOME,
            f"breach:{row['pk']}:{row['occurred_on']:%Y-%m-%d}",
            row["order__application_id"],
            row["recorded_at"] + chase,
            f"no outcome recorded for the breach of {_day(row['occurred_on'])}",
            row["order__application__solicitor_id"],
        )
