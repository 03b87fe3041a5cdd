"""Reminders that keep protection order dates from being missed, for the application's solicitor.

``send_spo_reminders`` runs from beat (see CELERY_BEAT_SCHEDULE). It finds what is due:

- a hearing in a week, and again the day before (by local dates in Europe/London, so the
  reminder comes on the right day across a clock change);
- an interim order ending within 7 days: it lapses unless the full hearing decides (s.5);
- a full order made for a fixed term ending within SPO_ORDER_EXPIRY_WARNING_DAYS, with no renewal
  applied for: time to consider renewing it (s.7);
- a notification the defendant has not made by its due date (s.9, s.10: within 3 days);
- a breach (s.8) with no outcome 14 days after it was recorded.

Each becomes one ``Reminder`` row per event, date and recipient, inserted with ON CONFLICT DO
NOTHING on the unique (kind, key, recipient): running the job twice creates nothing twice, and a
hearing moved to another day gets a reminder of its own. Rows not yet emailed are emailed once;
the email holds the reference and a link, never a name or address.
"""

from __future__ import annotations

import datetime
import logging
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import send_mail
from django.db import connection
from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils import timezone
from django.utils.dateformat import format as date_format

from stalking_clinic.locks import Lock, try_hold

from .calendar import BREACH_OUTCOME_CHASE_DAYS, local_midnight
from .models import Application, Breach, Hearing, Notification, Order, Reminder

logger = logging.getLogger(__name__)

INTERIM_ENDING_DAYS = 7
HEARING_WEEK_DAYS = 7


@dataclass(frozen=True)
class Due:
    kind: Reminder.Kind
    key: str
    application_id: int
    due: datetime.datetime
    message: str
    recipient_id: int


def send_spo_reminders(now: datetime.datetime | None = None) -> int:
    """Create the reminders now due and email the new ones; return how many were emailed.

    A session-level advisory lock keeps two workers from running it at once; the second simply
    stops (the first does the work). The unique key would keep rows single anyway; the lock also
    keeps an email from going out twice.
    """
    now = now or timezone.now()
    with try_hold(Lock.REMINDERS) as held:
        if not held:
            logger.info("SPO reminders already running elsewhere; skipped")
            return 0
        created = _insert(list(reminders_due(now)))
        sent = _email_unsent(now)
    logger.info("SPO reminders: %s new, %s emailed", created, sent)
    return sent


def reminders_due(now: datetime.datetime):
    """Every reminder that should exist at ``now`` (one query per kind)."""
    today = timezone.localdate(now)
    yield from _hearings(now, today)
    yield from _interim_orders(today)
    yield from _fixed_orders(today)
    yield from _notifications(today)
    yield from _breaches(now)


def _ref(application_id: int) -> str:
    return Application(pk=application_id).reference


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
        kind = Reminder.Kind.HEARING_DAY if days_away <= 1 else Reminder.Kind.HEARING_WEEK
        yield Due(
            kind,
            f"hearing:{row['pk']}:{local:%Y-%m-%dT%H:%M}",
            row["application_id"],
            row["starts_at"],
            f"{_ref(row['application_id'])}: {labels.get(row['kind'], row['kind']).lower()} "
            f"at {row['court']} on {_day(local.date())} at {local:%H:%M}",
            row["application__solicitor_id"],
        )


def _orders_ending(orders, kind, text):
    for row in orders.values("pk", "ends_on", "application_id", "application__solicitor_id"):
        yield Due(
            kind,
            f"order:{row['pk']}:{row['ends_on']:%Y-%m-%d}",
            row["application_id"],
            local_midnight(row["ends_on"]),
            f"{_ref(row['application_id'])}: {text} on {_day(row['ends_on'])}",
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
    yield from _orders_ending(orders, Reminder.Kind.INTERIM_ENDING, "interim order ends")


def _fixed_orders(today):
    warning = datetime.timedelta(days=settings.SPO_ORDER_EXPIRY_WARNING_DAYS)
    renewal = Application.objects.filter(order=OuterRef("pk"), kind=Application.Kind.RENEWAL)
    orders = _in_force(
        kind=Order.Kind.FULL, ends_on__gte=today, ends_on__lte=today + warning
    ).exclude(Exists(renewal))
    yield from _orders_ending(
        orders, Reminder.Kind.ORDER_EXPIRING, "full order ends; consider applying to renew it"
    )


def _notifications(today):
    overdue = Notification.objects.filter(
        received_on__isnull=True,
        due_on__lt=today,
        order__application__solicitor__is_active=True,
    ).values("pk", "kind", "due_on", "order__application_id", "order__application__solicitor_id")
    labels = dict(Notification.Kind.choices)
    for row in overdue:
        application_id = row["order__application_id"]
        yield Due(
            Reminder.Kind.NOTIFICATION_OVERDUE,
            f"notification:{row['pk']}:{row['due_on']:%Y-%m-%d}",
            application_id,
            local_midnight(row["due_on"]),
            f"{_ref(application_id)}: notification not received, due {_day(row['due_on'])} "
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
        application_id = row["order__application_id"]
        yield Due(
            Reminder.Kind.BREACH_OUTCOME,
            f"breach:{row['pk']}:{row['occurred_on']:%Y-%m-%d}",
            application_id,
            row["recorded_at"] + chase,
            f"{_ref(application_id)}: no outcome recorded for the breach of "
            f"{_day(row['occurred_on'])}",
            row["order__application__solicitor_id"],
        )


def _insert(due: list[Due]) -> int:
    """Insert the reminders that do not exist yet, in one statement; return how many were new.

    ON CONFLICT DO NOTHING on the unique (kind, key, recipient), not a read then a write: a
    reminder already made (even dismissed) is never made again.
    """
    if not due:
        return 0
    table = Reminder._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            INSERT INTO {table} (kind, key, application_id, due, message, recipient_id,
                                 created_at)
            SELECT kind, key, application_id, due, message, recipient_id, %s
            FROM unnest(%s::varchar[], %s::varchar[], %s::bigint[], %s::timestamptz[],
                        %s::varchar[], %s::bigint[])
                 AS r (kind, key, application_id, due, message, recipient_id)
            ON CONFLICT (kind, key, recipient_id) DO NOTHING
            RETURNING id
            """,  # noqa: S608 - the table name is the model's, the values are parameters
            [
                timezone.now(),
                [d.kind.value for d in due],
                [d.key for d in due],
                [d.application_id for d in due],
                [d.due for d in due],
                [d.message[:200] for d in due],
                [d.recipient_id for d in due],
            ],
        )
        return len(cursor.fetchall())


def _email_unsent(now: datetime.datetime) -> int:
    """Email each reminder not yet emailed, then mark it. A failed send leaves it for the next
    run; a crash between sending and marking could send one twice, never none."""
    unsent = Reminder.objects.filter(
        emailed_at__isnull=True, dismissed_at__isnull=True, recipient__is_active=True
    ).exclude(recipient__email="")
    sent = 0
    for reminder_id, kind, application_id, message, email in unsent.values_list(
        "pk", "kind", "application_id", "message", "recipient__email"
    ):
        reference = _ref(application_id)
        url = settings.SITE_URL + reverse("spo:application_detail", args=[application_id])
        calendar = settings.SITE_URL + reverse("spo:calendar")
        try:
            send_mail(
                f"{reference}: {Reminder.Kind(kind).label}",
                f"{message}.\n\nThe application:\n{url}\n\n"
                f"Your protection orders calendar and reminders:\n{calendar}\n",
                None,
                [email],
            )
        except OSError:
            logger.exception("SPO reminder %s could not be emailed; will retry", reminder_id)
            continue
        Reminder.objects.filter(pk=reminder_id, emailed_at__isnull=True).update(emailed_at=now)
        sent += 1
    return sent


def reminder_dismiss(*, reminder_id: int, by) -> bool:
    """Dismiss one of ``by``'s own reminders (again is harmless); False if it is not theirs."""
    Reminder.objects.filter(pk=reminder_id, recipient=by, dismissed_at__isnull=True).update(
        dismissed_at=timezone.now()
    )
    return Reminder.objects.filter(pk=reminder_id, recipient=by).exists()
