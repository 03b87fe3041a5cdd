"""The victim's safety plan: actions with an owner, a due date and a status, kept current by ISACs.

Every change is kept as a ``SafetyActionChange`` with a sentence a reader of the case timeline
understands without opening the plan, and goes to the audit log.
"""

from __future__ import annotations

import copy
import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.dateformat import format as date_format
from django.utils.text import Truncator

from stalking_clinic.audit.models import AuditEvent
from stalking_clinic.audit.services import record
from stalking_clinic.services import LastChange, ServiceError, locked, save_changes

from ..models import Case, SafetyAction, SafetyActionChange

Status = SafetyAction.Status

# Long enough to recognise an action on the timeline; the summary column holds 300 characters.
_QUOTE_CHARS = 80
_EARLIEST = datetime.timedelta(days=366)
_LATEST = datetime.timedelta(days=5 * 366)


def _short(description: str) -> str:
    return Truncator(" ".join(description.split())).chars(_QUOTE_CHARS)


def _quote(description: str) -> str:
    return f"'{_short(description)}'"


def _day(value: datetime.date | None) -> str:
    return date_format(value, "j M Y") if value else "none"


def _check(*, description: str, owner: str, due_date: datetime.date | None, due_changed: bool):
    if not description.strip():
        raise ServiceError("Enter what needs to be done.", field="description")
    if not owner.strip():
        raise ServiceError(
            "Enter who will do it, for example the victim, the ISAC or the police.", field="owner"
        )
    # A due date a few days past is allowed (an action agreed at last week's meeting is already
    # overdue), but one years away either side is almost always a mistyped year.
    if due_changed and due_date:
        today = timezone.localdate()
        if due_date < today - _EARLIEST:
            raise ServiceError(
                "The due date is more than a year ago. Check the year.", field="due_date"
            )
        if due_date > today + _LATEST:
            raise ServiceError(
                "The due date is more than five years away. Check the year.", field="due_date"
            )


@transaction.atomic
def safety_action_add(
    *, case: Case, by, description: str, owner: str, due_date: datetime.date | None = None
) -> SafetyAction:
    """Add an action to the victim's safety plan, shown on the case timeline as added."""
    _check(description=description, owner=owner, due_date=due_date, due_changed=True)
    action = SafetyAction.objects.create(
        case=case, description=description.strip(), owner=owner.strip(), due_date=due_date
    )
    due = f"due {_day(due_date)}" if due_date else "no due date"
    SafetyActionChange.objects.create(
        action=action,
        changed_by=by,
        changed_at=action.created_at,
        summary=f"Added: {_short(action.description)} (owner: {action.owner}, {due})"[:300],
    )
    record(actor=by, action=AuditEvent.Action.COLLECTION, obj=action)
    return action


@transaction.atomic
def safety_action_update(
    *,
    action: SafetyAction,
    version: int,
    by,
    description: str,
    owner: str,
    due_date: datetime.date | None,
    status: str,
) -> SafetyAction:
    """Change a safety action that the user saw at ``version``.

    Two people may keep the same plan current at once (the ISAC and the coordinator). The row is
    locked and its version compared: if someone else saved first, nothing is written and the
    caller is told who, so no change is silently overwritten.
    """
    status = Status(status)
    current = locked(action, version, what="action", last_change=_last_change)
    _check(
        description=description,
        owner=owner,
        due_date=due_date,
        due_changed=due_date != current.due_date,
    )
    new = {
        "description": description.strip(),
        "owner": owner.strip(),
        "due_date": due_date,
        "status": status,
    }
    before = copy.copy(current)
    changed = save_changes(current, new)
    if not changed:
        return current
    now = timezone.now()
    SafetyActionChange.objects.bulk_create(
        SafetyActionChange(action=current, changed_by=by, changed_at=now, summary=summary[:300])
        for summary in _summaries(before, new, changed)
    )
    record(actor=by, action=AuditEvent.Action.ALTERATION, obj=current, changed_fields=changed)
    return current


def _summaries(before: SafetyAction, new: dict, changed: list[str]) -> list[str]:
    """One sentence per changed field, naming the action as it was known before the change."""
    name = _quote(before.description)
    lines = []
    if "description" in changed:
        lines.append(f"Action {name} reworded to {_quote(new['description'])}")
    if "owner" in changed:
        lines.append(f"Owner of {name} changed from {before.owner} to {new['owner']}")
    if "due_date" in changed:
        if before.due_date is None:
            lines.append(f"Due date of {name} set to {_day(new['due_date'])}")
        elif new["due_date"] is None:
            lines.append(f"Due date of {name} removed (was {_day(before.due_date)})")
        else:
            lines.append(
                f"Due date of {name} changed from {_day(before.due_date)} "
                f"to {_day(new['due_date'])}"
            )
    if "status" in changed:
        lines.append(
            f"Status of {name} changed from {before.get_status_display()} "
            f"to {Status(new['status']).label}"
        )
    return lines


def _last_change(action: SafetyAction) -> LastChange:
    """Who last changed the action and when: its changes are its history."""
    last = action.changes.select_related("changed_by").order_by("-changed_at", "-id").first()
    return (last.changed_by.display_name, last.changed_at) if last else (None, None)
