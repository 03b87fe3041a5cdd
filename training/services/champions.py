"""Writes of the champions register: appointing a domestic abuse and stalking champion (or an
enhanced champion), changing their level or notes, and recording that they stood down.

An officer is on the register once: standing down keeps their entry (and when they served); a
champion who returns has the stood-down date cleared on the same entry. Edits take the
``version`` the user saw, so two managers changing one entry at once are told, not overwritten.
"""

from __future__ import annotations

import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.dateformat import format as date_format

from stalking_clinic.audit.models import AuditEvent
from stalking_clinic.audit.services import record
from stalking_clinic.services import ChangedByAnotherUser, ServiceError, one_of, save_changes

from ..models import Champion, Trainee


def _day(value: datetime.date) -> str:
    return date_format(value, "j F Y")


def _level(level: str) -> str:
    return one_of(level, Champion.Level, "level", "Choose the champion's level.")


@transaction.atomic
def champion_appoint(
    *,
    trainee: Trainee,
    by,
    level: str,
    appointed_on: datetime.date,
    notes: str = "",
) -> Champion:
    """Put ``trainee`` on the register at ``level`` from ``appointed_on`` (today or earlier).

    Only an officer on the latest officer list (active) can be appointed, and only once.
    """
    level = _level(level)
    if appointed_on is None:
        raise ServiceError("Enter the date they were appointed.", field="appointed_on")
    if appointed_on > timezone.localdate():
        raise ServiceError(
            "The date they were appointed must be today or earlier.", field="appointed_on"
        )
    # Locked so that two managers appointing the same officer at once get one entry and one
    # clear refusal, not a database error.
    current = Trainee.objects.select_for_update().filter(pk=trainee.pk).first()
    if current is None or not current.active:
        raise ServiceError(
            f"{trainee.collar_number} is not on the latest officer list: only a serving "
            "officer can be appointed.",
            field="trainee",
        )
    existing = Champion.objects.filter(trainee=current).first()
    if existing is not None:
        if existing.stood_down_on:
            raise ServiceError(
                f"{current.name} ({current.collar_number}) is already on the register, stood "
                f"down on {_day(existing.stood_down_on)}. To appoint them again, change their "
                "entry and clear the stood-down date.",
                field="trainee",
            )
        raise ServiceError(
            f"{current.name} ({current.collar_number}) is already on the register.",
            field="trainee",
        )
    try:
        with transaction.atomic():
            champion = Champion.objects.create(
                trainee=current,
                level=level,
                appointed_on=appointed_on,
                notes=(notes or "").strip(),
            )
    except IntegrityError as error:  # pragma: no cover - the lock above makes this rare
        raise ServiceError(
            f"{current.name} ({current.collar_number}) is already on the register.",
            field="trainee",
        ) from error
    record(actor=by, action=AuditEvent.Action.COLLECTION, obj=champion)
    return champion


@transaction.atomic
def champion_update(
    *,
    champion: Champion,
    by,
    version: int,
    level: str,
    notes: str = "",
    stood_down_on: datetime.date | None = None,
) -> Champion:
    """Change a champion's level and notes, or record the day they stood down (on or after
    their appointment, and not in the future); clearing it puts them back on the register."""
    level = _level(level)
    current = Champion.objects.select_for_update().get(pk=champion.pk)
    if current.version != version:
        raise ChangedByAnotherUser(
            "Someone else changed this champion's entry after you opened it. Their changes are "
            "shown; your input is kept below. Check it and save again."
        )
    if stood_down_on is not None:
        if stood_down_on < current.appointed_on:
            raise ServiceError(
                "The stood-down date must be on or after the date they were appointed "
                f"({_day(current.appointed_on)}).",
                field="stood_down_on",
            )
        if stood_down_on > timezone.localdate():
            raise ServiceError(
                "The stood-down date must be today or earlier.", field="stood_down_on"
            )
    changed = save_changes(
        current,
        {"level": level, "notes": (notes or "").strip(), "stood_down_on": stood_down_on},
    )
    if changed:
        record(actor=by, action=AuditEvent.Action.ALTERATION, obj=current, changed_fields=changed)
    return current
