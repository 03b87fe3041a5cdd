"""Counting working days (Monday to Friday, less the bank holidays in settings)."""

import datetime

from django.conf import settings


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
    holidays = sum(1 for h in settings.BANK_HOLIDAYS if start < h <= end and h.weekday() < 5)
    return days - holidays


def working_days_before(day: datetime.date, count: int) -> datetime.date:
    """The date ``count`` working days before ``day``."""
    holidays = set(settings.BANK_HOLIDAYS)
    while count > 0:
        day -= datetime.timedelta(days=1)
        if day.weekday() < 5 and day not in holidays:
            count -= 1
    return day
