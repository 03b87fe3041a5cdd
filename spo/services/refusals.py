"""What the protection orders services share when they refuse: who changed a record last (named
when a stale save is refused), that a decided application's parts no longer change, and how a
refusal names a day.
"""

from __future__ import annotations

import datetime

from django.db import models
from django.utils.dateformat import format as date_format

from stalking_clinic.services import LastChange, ServiceError, last_changed_by

from ..models import Application


def day(value: datetime.date) -> str:
    return date_format(value, "j F Y")


def last_change(obj: models.Model) -> LastChange:
    """Who last wrote this record and when, from the audit log and, for an application, its
    stage changes (which other services write without an audit entry of the application)."""
    candidates = [last for last in [last_changed_by(obj)] if last[0]]
    if isinstance(obj, Application):
        change = obj.stage_changes.select_related("by").order_by("-at", "-id").first()
        if change:
            candidates.append((change.by.display_name, change.at))
    return max(candidates, key=lambda last: last[1]) if candidates else (None, None)


def require_undecided(application: Application, what: str) -> None:
    if application.is_decided:
        raise ServiceError(
            f"This application was {application.get_stage_display().lower()}: "
            f"its {what} can no longer change."
        )
