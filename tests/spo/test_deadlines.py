"""The dates of the Stalking Protection Act 2019: s.9 notification and s.3(2) minimum duration."""

import datetime
from zoneinfo import ZoneInfo

import pytest

from spo.deadlines import full_order_earliest_end, local_date, notification_due

D = datetime.date


@pytest.mark.parametrize(
    ("starts_on", "due_on"),
    [
        (D(2026, 5, 12), D(2026, 5, 14)),  # the start day is day 1 of the 3
        (D(2026, 1, 31), D(2026, 2, 2)),  # across a month end
        (D(2026, 2, 27), D(2026, 3, 1)),  # February of a common year
        (D(2028, 2, 28), D(2028, 3, 1)),  # February of a leap year
        (D(2026, 12, 30), D(2027, 1, 1)),  # across the year end
        (D(2026, 12, 31), D(2027, 1, 2)),
        (D(2026, 3, 28), D(2026, 3, 30)),  # Saturday before the clocks go forward
        (D(2026, 10, 24), D(2026, 10, 26)),  # Saturday before the clocks go back
    ],
)
def test_notification_is_due_on_the_third_day_counting_the_start_day(starts_on, due_on):
    assert notification_due(starts_on) == due_on


@pytest.mark.parametrize(
    ("made_on", "earliest_end"),
    [
        (D(2026, 5, 10), D(2028, 5, 9)),
        (D(2026, 1, 1), D(2027, 12, 31)),
        (D(2026, 3, 1), D(2028, 2, 29)),  # the two years end on a leap day
        (D(2028, 2, 29), D(2030, 2, 28)),  # made on a leap day
        (D(2027, 2, 28), D(2029, 2, 27)),
    ],
)
def test_full_order_earliest_end_is_the_day_before_the_second_anniversary(made_on, earliest_end):
    assert full_order_earliest_end(made_on) == earliest_end


def test_local_date_is_the_day_in_london_not_utc():
    # 23:30 UTC on 30 June is 00:30 on 1 July in British Summer Time.
    moment = datetime.datetime(2026, 6, 30, 23, 30, tzinfo=datetime.UTC)
    assert local_date(moment) == D(2026, 7, 1)


def test_local_date_in_winter_is_the_utc_day():
    moment = datetime.datetime(2026, 1, 15, 23, 30, tzinfo=datetime.UTC)
    assert local_date(moment) == D(2026, 1, 15)


def test_local_date_of_a_moment_in_another_zone():
    moment = datetime.datetime(2026, 3, 29, 1, 30, tzinfo=ZoneInfo("America/New_York"))
    assert local_date(moment) == D(2026, 3, 29)
