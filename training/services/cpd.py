"""Writes of the CPD log: clinic staff record, change and delete their own continuing
professional development. Nobody changes someone else's entries (the coordinator and tactical
lead read everyone's, for supervision, but do not write them)."""

from __future__ import annotations

import datetime
import decimal
from typing import NotRequired, TypedDict, Unpack

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from stalking_clinic.audit.models import AuditEvent
from stalking_clinic.audit.services import record
from stalking_clinic.services import (
    ChangedByAnotherUser,
    ServiceError,
    lock_row,
    one_of,
    save_changes,
)

from ..models import CPDEntry

MIN_HOURS = decimal.Decimal("0.5")
MAX_HOURS = decimal.Decimal("100")


class Activity(TypedDict):
    """What an entry says, as its author gives it (new or changed)."""

    done_on: datetime.date
    kind: str
    title: str
    hours: decimal.Decimal
    provider: NotRequired[str]
    reflection: NotRequired[str]


def _checked(
    *,
    done_on: datetime.date,
    kind: str,
    title: str,
    hours: decimal.Decimal,
    provider: str = "",
    reflection: str = "",
) -> dict:
    """The entry's fields, tidied, once every rule holds (a ``ServiceError`` names the first
    that does not)."""
    if done_on is None:
        raise ServiceError("Enter the date of the activity.", field="done_on")
    if done_on > timezone.localdate():
        raise ServiceError("The date must be today or earlier.", field="done_on")
    one_of(kind, CPDEntry.Kind, "kind", "Choose the kind of activity.")
    title = (title or "").strip()
    if not title:
        raise ServiceError("Enter what the activity was.", field="title")
    if hours is None:
        raise ServiceError("Enter the hours, for example, 1.5", field="hours")
    hours = decimal.Decimal(hours)
    if not MIN_HOURS <= hours <= MAX_HOURS:
        raise ServiceError("Enter the hours, between 0.5 and 100.", field="hours")
    if hours != hours.quantize(decimal.Decimal("0.1")):
        raise ServiceError("Enter the hours to one decimal place, for example, 1.5", field="hours")
    return {
        "done_on": done_on,
        "kind": kind,
        "title": title,
        "provider": (provider or "").strip(),
        "hours": hours,
        "reflection": (reflection or "").strip(),
    }


@transaction.atomic
def cpd_create(*, by, **activity: Unpack[Activity]) -> CPDEntry:
    """Add an entry to ``by``'s own CPD log."""
    entry = CPDEntry.objects.create(user=by, **_checked(**activity))
    record(actor=by, action=AuditEvent.Action.COLLECTION, obj=entry)
    return entry


def _locked_own(entry: CPDEntry, by, version: int | None) -> CPDEntry:
    current = lock_row(entry)
    if current.user_id != by.pk:
        raise PermissionDenied("Only its author changes a CPD entry.")
    if version is not None and current.version != version:
        raise ChangedByAnotherUser(
            "This entry was changed (perhaps in another tab) after you opened it. It is shown "
            "as it is now; your input is kept below. Check it and save again."
        )
    return current


@transaction.atomic
def cpd_update(*, entry: CPDEntry, by, version: int, **activity: Unpack[Activity]) -> CPDEntry:
    """Change one of ``by``'s own entries."""
    values = _checked(**activity)
    current = _locked_own(entry, by, version)
    changed = save_changes(current, values)
    if changed:
        record(actor=by, action=AuditEvent.Action.ALTERATION, obj=current, changed_fields=changed)
    return current


@transaction.atomic
def cpd_delete(*, entry: CPDEntry, by, version: int | None = None) -> None:
    """Delete one of ``by``'s own entries (recorded in the audit log as an erasure)."""
    current = _locked_own(entry, by, version)
    # Recorded before the delete: the audit entry names the row by its id.
    record(actor=by, action=AuditEvent.Action.ERASURE, obj=current)
    current.delete()
