"""Checks that more than one meetings service makes before it writes: a value must be one of its
choices, and a cancelled meeting takes no more changes."""

from __future__ import annotations

from django.db import models

from stalking_clinic.services import ServiceError

from ..models import Meeting


def one_of[C: models.TextChoices](value, choices: type[C], field: str, message: str) -> C:
    """``value`` as a member of ``choices``; else refused with ``message`` on ``field``."""
    if value not in choices.values:
        raise ServiceError(message, field)
    return choices(value)


def refuse_if_cancelled(meeting: Meeting, what: str) -> None:
    """A cancelled meeting's record stays as it was: ``what`` says what can no longer happen."""
    if meeting.status == Meeting.Status.CANCELLED:
        raise ServiceError(f"This meeting was cancelled: {what}.")
