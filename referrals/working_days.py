"""Counting working days: Monday to Friday, less the bank holidays of England and Wales.

The bank holidays come from the ``holidays`` package, which knows every year (substitute days
included, such as Boxing Day on a Monday when 26 December is a Sunday), plus any extra closures
in the ``EXTRA_BANK_HOLIDAYS`` setting: a one-off bank holiday declared after the package's
release.
"""

import datetime
import functools

import holidays
from django.conf import settings


@functools.cache
def _england_and_wales(year: int) -> frozenset[datetime.date]:
    return frozenset(holidays.country_holidays("GB", subdiv="ENG", years=year))


def bank_holidays(start: datetime.date, end: datetime.date) -> set[datetime.date]:
    """The bank holidays from ``start`` to ``end``, both included."""
    days = {
        day
        for year in range(start.year, end.year + 1)
        for day in _england_and_wales(year)
        if start <= day <= end
    }
    return days | {day for day in settings.EXTRA_BANK_HOLIDAYS if start <= day <= end}


def is_working_day(day: datetime.date) -> bool:
    return day.weekday() < 5 and day not in bank_holidays(day, day)


def working_days_between(start: datetime.date, end: datetime.date) -> int:
    """Whole working days after ``start`` up to and including ``end`` (0 when end <= start)."""
    if end <= start:
        return 0
    # Whole weeks hold five working days each; walk only the few days left over, so a referral
    # three years old costs no more than one from yesterday.
    span = (end - start).days
    days = span // 7 * 5
    day = start + datetime.timedelta(days=span // 7 * 7)
    while day < end:
        day += datetime.timedelta(days=1)
        if day.weekday() < 5:
            days += 1
    after_start = start + datetime.timedelta(days=1)
    return days - sum(1 for h in bank_holidays(after_start, end) if h.weekday() < 5)


def working_days_before(day: datetime.date, count: int) -> datetime.date:
    """The date ``count`` working days before ``day``."""
    while count > 0:
        day -= datetime.timedelta(days=1)
        if is_working_day(day):
            count -= 1
    return day
