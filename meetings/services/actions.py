"""Writes of meeting actions: creating one from a case discussed, and updating it (status, note,
new due date). One named operation per act, one transaction, one audit entry.

Responsibility stays with the owning agency: the clinic creates the action and names the agency
(and, when known, the person); the agency's members then update it. Who may reach an action at
all is decided by ``meetings.access``; these services decide what a change may be.

Updates take the ``version`` the user saw: the row is locked and compared, so when two people
update the same action at once the second is told, not silently overwritten.
"""

from __future__ import annotations

import datetime

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.dateformat import format as date_format

from referrals.access import cases_visible_to
from referrals.models import Case, Share
from stalking_clinic.access import Perm, can
from stalking_clinic.audit.models import AuditEvent
from stalking_clinic.audit.services import record
from stalking_clinic.services import LastChange, ServiceError, locked

from ..models import Action, ActionUpdate


def _day(value: datetime.date) -> str:
    return date_format(value, "j F Y")


def _not_past(due_on: datetime.date) -> None:
    if due_on < timezone.localdate():
        raise ServiceError("The due date must be today or later.", field="due_on")


@transaction.atomic
def action_create(
    *,
    case: Case,
    by,
    description: str,
    owner_agency,
    due_on: datetime.date,
    owner=None,
    agenda_item=None,
) -> Action:
    """An action agreed about ``case``, owned by ``owner_agency`` (and ``owner``, one of its
    members), due on ``due_on``; from ``agenda_item`` when a meeting decided it."""
    description = (description or "").strip()
    if not description:
        raise ServiceError("Enter what is to be done.", field="description")
    if owner_agency is None:
        raise ServiceError("Choose the agency that owns the action.", field="owner_agency")
    if owner is not None and (owner.agency_id != owner_agency.pk or not owner.is_active):
        raise ServiceError(
            f"Choose someone who works for {owner_agency.name}, or leave the person blank.",
            field="owner",
        )
    if due_on is None:
        raise ServiceError("Enter the due date.", field="due_on")
    _not_past(due_on)
    if agenda_item is not None and agenda_item.case_id != case.pk:
        raise ServiceError("The agenda item is about another case.", field="agenda_item")
    _owner_sees_case(case, owner_agency, owner)
    # Locked so that the case cannot be closed while an action is added to it.
    case_now = Case.objects.select_for_update().get(pk=case.pk)
    if case_now.status != Case.Status.OPEN:
        raise ServiceError(f"Case {case_now.reference} is closed: it takes no new actions.")
    action = Action.objects.create(
        case=case_now,
        agenda_item=agenda_item,
        description=description,
        owner_agency=owner_agency,
        owner=owner,
        due_on=due_on,
        created_by=by,
    )
    record(actor=by, action=AuditEvent.Action.COLLECTION, obj=action)
    return action


def _owner_sees_case(case: Case, owner_agency, owner) -> None:
    """An action's owners see it and the case it is about, so they must already be allowed to
    see the case: a partner agency only through a share of the case (``referrals.Share``), a
    named person only if the case is visible to them. Owning an action never opens a case."""
    shared = Share.objects.filter(case=case, agency=owner_agency)
    if owner_agency.is_partner and not shared.exists():
        raise ServiceError(
            f"Case {case.reference} is not shared with {owner_agency.name}. Share the case with "
            "the agency first, or choose another agency.",
            field="owner_agency",
        )
    if owner is not None and not cases_visible_to(owner).filter(pk=case.pk).exists():
        raise ServiceError(
            f"{owner.display_name} cannot see case {case.reference}. Choose someone who can, "
            "or leave the person blank.",
            field="owner",
        )


def _last_update(action: Action) -> LastChange:
    """Who last updated the action and when: its updates are its history."""
    last = action.updates.select_related("by").order_by("-at", "-id").first()
    return (last.by.display_name, last.at) if last else (None, None)


@transaction.atomic
def action_update(
    *,
    action: Action,
    by,
    version: int,
    status: str,
    note: str = "",
    due_on: datetime.date | None = None,
) -> Action:
    """Record an update on an action: a note, a change of status, a new due date (any of them).

    Done sets ``completed_at``; reopening clears it. A closed action (done or cancelled) is
    reopened only by the clinic (the coordinator or tactical lead), so an agency cannot undo a
    completion the clinic relies on without the clinic knowing.
    """
    if status not in Action.Status.values:
        raise ServiceError("Choose the action's status.", field="status")
    status = Action.Status(status)
    note = (note or "").strip()
    current = locked(action, version, what="action", last_change=_last_update, verb="updated")
    was = Action.Status(current.status)
    reopening = was in Action.CLOSED and status not in Action.CLOSED
    if reopening and not can(by, Perm.MEETINGS_MANAGE):
        raise ServiceError(
            f"This action is {was.label.lower()}. Only the coordinator or tactical lead can "
            "reopen it.",
            field="status",
        )
    new_due = due_on if due_on is not None and due_on != current.due_on else None
    if new_due is not None:
        if status in Action.CLOSED:
            raise ServiceError(
                "A closed action has no due date to change: leave the due date blank.",
                field="due_on",
            )
        _not_past(new_due)
    if status == was and not note and new_due is None:
        raise ServiceError(
            "Nothing to record: add a note, change the status or give a new due date.",
            field="note",
        )

    changes: dict = {}
    if status != was:
        changes["status"] = status
        if status == Action.Status.DONE:
            changes["completed_at"] = timezone.now()
        elif current.completed_at is not None:
            changes["completed_at"] = None
    if new_due is not None:
        changes["due_on"] = new_due
    text = note
    if new_due is not None:
        moved = f"Due date changed from {_day(current.due_on)} to {_day(new_due)}."
        text = f"{moved}\n\n{note}" if note else moved

    Action.objects.filter(pk=current.pk, version=version).update(
        **changes, version=F("version") + 1
    )
    ActionUpdate.objects.create(
        action=current,
        by=by,
        note=text,
        status_from=was if status != was else "",
        status_to=status if status != was else "",
    )
    current.refresh_from_db()
    record(
        actor=by,
        action=AuditEvent.Action.ALTERATION,
        obj=current,
        changed_fields=[*changes, *(["note"] if note else [])],
    )
    return current
