"""Counting working days (Monday to Friday, less the bank holidays in settings)."""

import datetime

from django.conf import settings


def working_days_between(start: datetime.date, end: datetime.date) -> int:
    """Whole working days after ``start`` up to and including ``end`` (0 when end <= start)."""
    if end <= start:
        return 0
    holidays = set(settings.BANK_HOLIDAYS)
    days = 0
    day = start
    # At most a few weeks for a waiting referral; a simple walk is clear and fast enough.
    while day < end:
        day += datetime.timedelta(days=1)
        if day.weekday() < 5 and day not in holidays:
            days += 1
    return days


def working_days_before(day: datetime.date, count: int) -> datetime.date:
    """The date ``count`` working days before ``day``."""
    holidays = set(settings.BANK_HOLIDAYS)
    while count > 0:
        day -= datetime.timedelta(days=1)
        if day.weekday() < 5 and day not in holidays:
            count -= 1
    return day
