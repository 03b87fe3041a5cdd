"""A check that more than one meetings service makes before it writes: a cancelled meeting takes
no more changes."""

from __future__ import annotations

from stalking_clinic.services import ServiceError

from ..models import Meeting


def refuse_if_cancelled(meeting: Meeting, what: str) -> None:
    """A cancelled meeting's record stays as it was: ``what`` says what can no longer happen."""
    if meeting.status == Meeting.Status.CANCELLED:
        raise ServiceError(f"This meeting was cancelled: {what}.")
