"""Writes of a meeting itself: scheduling it, and changing it (moved, another chair, held or
cancelled).

One named operation per act, one transaction, one audit entry. A refusal is a ``ServiceError``
whose message is for the user and whose ``field`` names the form field at fault. A change takes
the ``version`` the user saw: the row is locked and compared, so the second of two people editing
at once is told rather than silently overwritten.
"""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone

from stalking_clinic.accounts.models import Role
from stalking_clinic.audit.models import AuditEvent
from stalking_clinic.audit.services import record
from stalking_clinic.services import ServiceError, locked, one_of, save_changes

from ..models import Meeting

# "The tactical lead chairs the multi-agency stalking clinic meeting"; the coordinator chairs
# the smaller case discussions and drop-in sessions they arrange.
CHAIR_ROLES = frozenset({Role.TACTICAL_LEAD, Role.COORDINATOR})


def _check_meeting(
    *, kind: str, starts_at: datetime.datetime, place: str, online_link: str, chair
) -> str:
    kind = one_of(kind, Meeting.Kind, "kind", "Choose the kind of meeting.")
    if starts_at is None or timezone.is_naive(starts_at):
        raise ServiceError("Enter the date and time of the meeting.", "starts_at")
    if not place and not online_link:
        raise ServiceError("Enter the place of the meeting or its online link.", "place")
    if chair is not None and not CHAIR_ROLES & set(chair.roles):
        raise ServiceError("The chair must be the tactical lead or a coordinator.", "chair")
    return kind


@transaction.atomic
def meeting_schedule(
    *,
    by,
    kind: str,
    starts_at: datetime.datetime,
    place: str = "",
    online_link: str = "",
    chair=None,
    notes: str = "",
) -> Meeting:
    """Schedule a meeting, convened by ``by`` (the coordinator). It happens somewhere: a room,
    an online link, or both."""
    place, online_link = place.strip(), online_link.strip()
    kind = _check_meeting(
        kind=kind, starts_at=starts_at, place=place, online_link=online_link, chair=chair
    )
    meeting = Meeting.objects.create(
        kind=kind,
        starts_at=starts_at,
        place=place,
        online_link=online_link,
        chair=chair,
        convened_by=by,
        notes=notes.strip(),
    )
    record(actor=by, action=AuditEvent.Action.COLLECTION, obj=meeting)
    return meeting


@transaction.atomic
def meeting_update(
    *,
    meeting: Meeting,
    by,
    version: int,
    kind: str,
    starts_at: datetime.datetime,
    place: str,
    online_link: str,
    chair,
    status: str,
    notes: str,
) -> Meeting:
    """Change a meeting: moved, another chair, held or cancelled."""
    current = locked(meeting, version, what="meeting")
    place, online_link = (place or "").strip(), (online_link or "").strip()
    kind = _check_meeting(
        kind=kind, starts_at=starts_at, place=place, online_link=online_link, chair=chair
    )
    status = one_of(status, Meeting.Status, "status", "Choose the status of the meeting.")
    changed = save_changes(
        current,
        {
            "kind": kind,
            "starts_at": starts_at,
            "place": place,
            "online_link": online_link,
            "chair_id": chair.pk if chair else None,
            "status": status,
            "notes": (notes or "").strip(),
        },
    )
    if changed:
        record(actor=by, action=AuditEvent.Action.ALTERATION, obj=current, changed_fields=changed)
    return current
