"""Reading reminders: a user's open ones, for the pages of the app they come from."""

from __future__ import annotations

from django.db.models import QuerySet

from .models import Reminder


def open_reminders(user, *, namespace: str) -> QuerySet[Reminder]:
    """``user``'s reminders from ``namespace`` ("spo") not yet dismissed, soonest first."""
    return Reminder.objects.filter(
        recipient=user, dismissed_at__isnull=True, kind__startswith=f"{namespace}."
    ).order_by("event_at", "pk")
