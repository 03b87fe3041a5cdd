"""Writes of who comes to a meeting: inviting someone, recording whether they came, and recording
their confidentiality agreement (only then are they shown the meeting's cases).

One named operation per act, one transaction, one audit entry; a refusal is a ``ServiceError``.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from stalking_clinic.audit.models import AuditEvent
from stalking_clinic.audit.services import record
from stalking_clinic.services import ServiceError, lock_row, one_of

from ..models import Attendee, Meeting
from .checks import refuse_if_cancelled


@transaction.atomic
def attendee_invite(*, meeting: Meeting, by, user=None, name: str = "", agency=None) -> Attendee:
    """Invite someone: a user of the system (their agency unless another is given), or a named
    person from an agency who has no account."""
    current = lock_row(meeting)
    refuse_if_cancelled(current, "nobody more can be invited")
    name = name.strip()
    if user is None and not name:
        raise ServiceError("Choose a user or enter the person's name.", "user")
    if user is not None:
        if Attendee.objects.filter(meeting=current, user=user).exists():
            raise ServiceError(f"{user.display_name} is already invited.", "user")
        if agency is None:
            agency = user.agency
        # A user's name is their account's: keeping a second copy would let the two disagree.
        name = ""
    attendee = Attendee.objects.create(meeting=current, user=user, name=name, agency=agency)
    record(actor=by, action=AuditEvent.Action.COLLECTION, obj=attendee)
    return attendee


@transaction.atomic
def attendance_record(*, attendee: Attendee, by, attendance: str) -> Attendee:
    """Record whether an invited person came, sent apologies or did not attend."""
    attendance = one_of(
        attendance, Attendee.Attendance, "attendance", "Choose whether they attended."
    )
    current = Attendee.objects.select_for_update().get(pk=attendee.pk)
    if current.attendance != attendance:
        Attendee.objects.filter(pk=current.pk).update(attendance=attendance)
        current.attendance = attendance
        record(
            actor=by,
            action=AuditEvent.Action.ALTERATION,
            obj=current,
            changed_fields=["attendance"],
        )
    attendee.attendance = attendance
    return current


@transaction.atomic
def confidentiality_record(*, attendee: Attendee, by) -> Attendee:
    """Record that the attendee agreed to keep the meeting's cases confidential: only then are
    they shown the cases (``meetings.access.sees_cases_of``). Agreed once: recording it again
    changes nothing."""
    current = Attendee.objects.select_for_update().get(pk=attendee.pk)
    if current.confidentiality_agreed_at is None:
        now = timezone.now()
        Attendee.objects.filter(pk=current.pk).update(
            confidentiality_agreed_at=now, confidentiality_recorded_by=by
        )
        current.confidentiality_agreed_at = now
        current.confidentiality_recorded_by = by
        record(
            actor=by,
            action=AuditEvent.Action.ALTERATION,
            obj=current,
            changed_fields=["confidentiality_agreed_at", "confidentiality_recorded_by"],
        )
    attendee.confidentiality_agreed_at = current.confidentiality_agreed_at
    attendee.confidentiality_recorded_by_id = current.confidentiality_recorded_by_id
    return current
