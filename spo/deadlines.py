"""The dates the Stalking Protection Act 2019 sets: when a notification is due and how short a
full order may be. Pure functions on calendar dates: weekends, bank holidays and clock changes
do not move them (the Act counts days, not working days or hours).

Also the clinic's own date (how long a breach waits for its outcome before it is chased) and the
local days every date here is counted in, for the calendar, the reminders and the timeline.
"""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

from django.utils import timezone

LONDON = ZoneInfo("Europe/London")

# s.9(1): "... must notify to the police the information set out in subsection (2) within the
# period of 3 days beginning with the date on which the order is served on the defendant."
# s.9(3), (4): a new name or home address must be notified "within the period of 3 days beginning
# with the date on which that happens".
# "Beginning with" counts the start day itself as day 1, so the last day is two days later.
NOTIFICATION_DAYS = 3

# s.3(1): "A stalking protection order has effect for a fixed period specified in the order or
# until a further order is made." s.3(2): "The fixed period must be at least 2 years beginning
# with the day on which the order is made."
MINIMUM_FULL_ORDER_YEARS = 2

# A breach's outcome (charge, caution, no further action) is chased this long after it was
# recorded; the calendar and the reminders job use the same figure.
BREACH_OUTCOME_CHASE_DAYS = 14


def notification_due(starts_on: datetime.date) -> datetime.date:
    """The last day for a notification whose 3 days begin with ``starts_on`` (s.9(1), (3), (4))."""
    return starts_on + datetime.timedelta(days=NOTIFICATION_DAYS - 1)


def full_order_earliest_end(made_on: datetime.date) -> datetime.date:
    """The earliest fixed end date of a full order made on ``made_on`` (s.3(2)).

    Two years "beginning with the day on which the order is made" run to the day before the
    second anniversary: made on 10 May 2026, the two years end on 9 May 2028. An order made on
    29 February has its anniversary on 1 March in a common year, so the two years end on
    28 February.
    """
    year = made_on.year + MINIMUM_FULL_ORDER_YEARS
    try:
        anniversary = made_on.replace(year=year)
    except ValueError:  # 29 February in a common year
        anniversary = datetime.date(year, 3, 1)
    return anniversary - datetime.timedelta(days=1)


def local_date(moment: datetime.datetime) -> datetime.date:
    """The calendar day in England of an aware moment (court dates and deadlines are local)."""
    return timezone.localdate(moment, timezone=LONDON)


def local_midnight(day: datetime.date) -> datetime.datetime:
    """The aware instant a local day begins (DST-safe: 00:00 exists on every UK day)."""
    return datetime.datetime.combine(day, datetime.time.min, timezone.get_current_timezone())
