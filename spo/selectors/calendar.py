"""The protection orders calendar: hearings and the deadlines around orders, for the applications
a user may see, as one list of ``Event``s for the calendar page (by week or as a list) and the
iCalendar download and feed (``spo.ics``); the courts to filter on; and the user's feed address,
if any (the address itself is made and used in ``services.calendar_feed``).

An event carries only what a calendar may show: the application's reference, what happens and
the court. Never a protected person's or defendant's name or address: a calendar program, a phone
lock screen or a shared diary is outside this system.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db import models
from django.utils import timezone

from stalking_clinic.reminders.selectors import open_reminders

from ..access import applications_visible_to
from ..deadlines import BREACH_OUTCOME_CHASE_DAYS, local_midnight
from ..models import Application, Breach, CalendarFeed, Hearing, Notification, Order

LIST_DAYS = 90  # the list: today and the next 90 days, with open deadlines already past
FEED_PAST_DAYS = 31  # the .ics: a month back, so last week's hearings stay in the diary …
FEED_FUTURE_DAYS = 3 * 366  # … and three years ahead, past any fixed full order's end


class EventKind(models.TextChoices):
    HEARING = "hearing", "Hearing"
    NOTIFICATION_DUE = "notification_due", "Notification due"
    INTERIM_ENDS = "interim_ends", "Interim order ends"
    ORDER_ENDS = "order_ends", "Full order ends"
    BREACH_OUTCOME = "breach_outcome", "Breach outcome to chase"


class Show(models.TextChoices):
    """The calendar's kind filter."""

    ALL = "", "Hearings and deadlines"
    HEARINGS = "hearings", "Hearings"
    DEADLINES = "deadlines", "Deadlines"


@dataclass(frozen=True)
class Event:
    kind: EventKind
    source_id: int  # the hearing, notification, order or breach
    application_id: int
    court: str
    on: datetime.date  # the local (Europe/London) day
    starts_at: datetime.datetime | None = None  # hearings only: deadlines are whole days
    detail: str = ""  # e.g. the hearing's kind; never a person's details

    @property
    def reference(self) -> str:
        return Application(pk=self.application_id).reference

    @property
    def is_hearing(self) -> bool:
        return self.kind == EventKind.HEARING

    @property
    def title(self) -> str:
        if self.kind == EventKind.HEARING:
            return self.detail or self.kind.label
        return f"{self.kind.label}: {self.detail}" if self.detail else self.kind.label

    @property
    def summary(self) -> str:
        """The one line a calendar program shows: reference, what, court."""
        summary = f"{self.reference}: {self.title}"
        return f"{summary}, {self.court}" if self.court else summary

    @property
    def uid_part(self) -> str:
        # Stable for the event, so a moved hearing updates the entry rather than adding one.
        return f"spo-{self.kind}-{self.source_id}"

    @property
    def sort_key(self):
        start = self.starts_at or datetime.datetime.combine(
            self.on, datetime.time.min, timezone.get_current_timezone()
        )
        return (self.on, self.is_hearing, start, self.application_id, self.kind, self.source_id)


def calendar_events(
    user,
    *,
    start: datetime.date,
    end: datetime.date,
    show: str = Show.ALL,
    court: str = "",
    include_overdue: bool = False,
) -> list[Event]:
    """Events on local days ``start`` ≤ day < ``end`` for the applications ``user`` may see.

    ``include_overdue`` adds deadlines still open before ``start``: notifications not yet received
    and breaches without an outcome. One query per kind of event.
    """
    visible = applications_visible_to(user).order_by().values("pk")
    events: list[Event] = []
    if show in (Show.ALL, Show.HEARINGS):
        events += _hearings(visible, start, end, court)
    if show in (Show.ALL, Show.DEADLINES):
        events += _notifications(visible, start, end, court, include_overdue)
        events += _order_ends(visible, start, end, court)
        events += _breaches(visible, start, end, court, include_overdue)
    return sorted(events, key=lambda event: event.sort_key)


def _hearings(visible, start, end, court) -> list[Event]:
    hearings = Hearing.objects.filter(
        application__in=visible,
        starts_at__gte=local_midnight(start),
        starts_at__lt=local_midnight(end),
    )
    if court:
        hearings = hearings.filter(court=court)
    labels = dict(Hearing.Kind.choices)
    return [
        Event(
            EventKind.HEARING,
            row["pk"],
            row["application_id"],
            row["court"],
            timezone.localdate(row["starts_at"]),
            starts_at=row["starts_at"],
            detail=labels.get(row["kind"], row["kind"]),
        )
        for row in hearings.values("pk", "application_id", "court", "starts_at", "kind")
    ]


def _notifications(visible, start, end, court, include_overdue) -> list[Event]:
    """Notifications the defendant has not yet made (s.9), on the last day for making them."""
    due = Notification.objects.filter(
        order__application__in=visible, received_on__isnull=True, due_on__lt=end
    )
    if not include_overdue:
        due = due.filter(due_on__gte=start)
    if court:
        due = due.filter(order__application__court=court)
    labels = dict(Notification.Kind.choices)
    return [
        Event(
            EventKind.NOTIFICATION_DUE,
            row["pk"],
            row["order__application_id"],
            row["order__application__court"],
            row["due_on"],
            detail=labels.get(row["kind"], row["kind"]),
        )
        for row in due.values(
            "pk", "kind", "due_on", "order__application_id", "order__application__court"
        )
    ]


def _order_ends(visible, start, end, court) -> list[Event]:
    """Interim orders in force, on the day they end; full orders made for a fixed term, on their
    last day (s.2(3)). Orders until further order have no end to show. One query for both."""
    orders = Order.objects.filter(
        application__in=visible,
        ended_on__isnull=True,
        until_further_order=False,
        ends_on__gte=start,
        ends_on__lt=end,
    )
    if court:
        orders = orders.filter(application__court=court)
    return [
        Event(
            EventKind.INTERIM_ENDS if row["kind"] == Order.Kind.INTERIM else EventKind.ORDER_ENDS,
            row["pk"],
            row["application_id"],
            row["application__court"],
            row["ends_on"],
        )
        for row in orders.values("pk", "kind", "ends_on", "application_id", "application__court")
    ]


def _breaches(visible, start, end, court, include_overdue) -> list[Event]:
    """Breaches with no outcome yet, on the day the outcome is to be chased."""
    chase = datetime.timedelta(days=BREACH_OUTCOME_CHASE_DAYS)
    breaches = Breach.objects.filter(
        order__application__in=visible,
        outcome="",
        outcome_recorded_on__isnull=True,
        recorded_at__lt=local_midnight(end) - chase,
    )
    if not include_overdue:
        breaches = breaches.filter(recorded_at__gte=local_midnight(start) - chase)
    if court:
        breaches = breaches.filter(order__application__court=court)
    return [
        Event(
            EventKind.BREACH_OUTCOME,
            row["pk"],
            row["order__application_id"],
            row["order__application__court"],
            timezone.localdate(row["recorded_at"]) + chase,
        )
        for row in breaches.values(
            "pk", "recorded_at", "order__application_id", "order__application__court"
        )
    ]


def calendar_courts(user) -> list[str]:
    """The courts of the user's applications and hearings, for the court filter (one query)."""
    visible = applications_visible_to(user).order_by()
    hearing_courts = (
        Hearing.objects.filter(application__in=visible.values("pk"))
        .order_by()
        .values_list("court", flat=True)
    )
    courts = visible.exclude(court="").values_list("court", flat=True).union(hearing_courts)
    return sorted(courts.order_by())


def calendar_feed_of(user) -> CalendarFeed | None:
    return CalendarFeed.objects.filter(user=user).first()


def _monday(day: datetime.date) -> datetime.date:
    return day - datetime.timedelta(days=day.weekday())


def calendar_page(
    user,
    *,
    today: datetime.date,
    show: str = Show.ALL,
    court: str = "",
    as_list: bool = False,
    week: datetime.date | None = None,
) -> dict:
    """The calendar page: the week (Monday to Sunday) holding ``week`` (default this week) day by
    day, or ``as_list`` today and the next ``LIST_DAYS`` days with the deadlines still open from
    before; the user's reminders not yet dismissed and their feed address, if any."""
    monday = _monday(week or today)
    if as_list:
        start, end = today, today + datetime.timedelta(days=LIST_DAYS)
    else:
        start, end = monday, monday + datetime.timedelta(days=7)
    events = calendar_events(
        user, start=start, end=end, show=show, court=court, include_overdue=as_list
    )
    days = [
        (day, [e for e in events if e.on == day])
        for day in (monday + datetime.timedelta(days=n) for n in range(7))
    ]
    return {
        "as_list": as_list,
        "events": events,
        "days": days,
        "today": today,
        "now": timezone.now(),
        "list_days": LIST_DAYS,
        "week": monday,
        "week_end": monday + datetime.timedelta(days=6),
        "previous_week": monday - datetime.timedelta(days=7),
        "next_week": monday + datetime.timedelta(days=7),
        "reminders": open_reminders(user, namespace="spo").only("pk", "message", "event_at", "url"),
        "feed": calendar_feed_of(user),
    }


def feed_events(user, *, show: str = "", court: str = "") -> list[Event]:
    """The events of the .ics download and the feed: from ``FEED_PAST_DAYS`` ago to
    ``FEED_FUTURE_DAYS`` ahead."""
    today = timezone.localdate()
    return calendar_events(
        user,
        start=today - datetime.timedelta(days=FEED_PAST_DAYS),
        end=today + datetime.timedelta(days=FEED_FUTURE_DAYS),
        show=show,
        court=court,
    )
