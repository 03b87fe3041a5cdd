"""What every area's services share: the error a rule raises, and editing a versioned row.

A service refuses an operation by raising ``ServiceError``: its message is for the user and its
``field`` names the form field it is about (None: the form as a whole). The view turns it into a
form error (``stalking_clinic.service_forms.save_through_service``).

A row a user edits carries a ``version``. The service locks the row and compares the version the
user saw (``locked``), refusing a stale save with ``ChangedByAnotherUser`` that says who saved
first and when, so nobody's work is overwritten silently; then it writes what changed with
``save_changes``, which moves the version on so the next stale form is refused in turn.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable

from django.db import models
from django.db.models import F, QuerySet
from django.utils import timezone

from stalking_clinic.audit.models import AuditEvent

# Who last wrote a record and when: (display name, time), or (None, None) when nobody is known.
LastChange = tuple[str | None, datetime.datetime | None]


class ServiceError(Exception):
    """A rule of the clinic refused the operation; nothing was written. ``message`` is shown next
    to ``field`` (None: at the top of the form)."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


class ChangedByAnotherUser(ServiceError):
    """Someone else saved a change first; nothing was overwritten. ``by`` is their display name,
    when known."""

    def __init__(self, message: str, field: str | None = None, *, by: str = ""):
        super().__init__(message, field)
        self.by = by


def one_of[C: models.TextChoices](value, choices: type[C], field: str, message: str) -> C:
    """``value`` as a member of ``choices``; else refused with ``message`` next to ``field``."""
    if value not in choices.values:
        raise ServiceError(message, field)
    return choices(value)


def last_changed_by(obj: models.Model) -> LastChange:
    """Who last created or changed ``obj`` and when, from the audit log (which every service
    writes, one entry per act)."""
    event = (
        AuditEvent.objects.filter(
            object_type=obj._meta.label_lower,
            object_id=str(obj.pk),
            action__in=[AuditEvent.Action.COLLECTION, AuditEvent.Action.ALTERATION],
            actor__isnull=False,
        )
        .select_related("actor")
        .order_by("-at", "-id")
        .first()
    )
    return (event.actor.display_name, event.at) if event else (None, None)


def changed_message(what: str, last: LastChange, *, verb: str = "changed") -> str:
    """The words of a refused stale save: who saved first and when, and what to do now."""
    who, at = last
    said = (
        f"{who} {verb} this {what} at {timezone.localtime(at):%H:%M on %d/%m/%Y}"
        if who and at
        else f"Someone else {verb} this {what}"
    )
    doing = {"changed": "editing"}.get(verb, verb.removesuffix("ed") + "ing")
    return (
        f"{said} while you were {doing} it. Your changes were not saved: the {what} as it is now "
        "is shown below. Check it, then save again if your changes are still needed."
    )


def lock_row[M: models.Model](obj: M) -> M:
    """``obj``'s row read again and locked until the transaction ends."""
    return type(obj).objects.select_for_update().get(pk=obj.pk)


def locked[M: models.Model](
    obj: M,
    version: int,
    *,
    what: str,
    last_change: Callable[[M], LastChange] = last_changed_by,
    verb: str = "changed",
) -> M:
    """``obj``'s row, locked until the transaction ends, if it is still at ``version``.

    Otherwise raises ``ChangedByAnotherUser`` naming who saved first (``last_change`` finds them:
    by default the audit log; a record with a history of its own, such as an action's updates,
    passes its own) and nothing is written.
    """
    current = lock_row(obj)
    if current.version != version:
        last = last_change(current)
        raise ChangedByAnotherUser(changed_message(what, last, verb=verb), by=last[0] or "")
    return current


def move_in_order(row: models.Model, siblings: QuerySet, direction: str):
    """Swap ``row`` with its neighbour among ``siblings`` (rows with a ``position``, ``row``
    among them), "up" or "down": the row as moved, or None at either end of the list. The
    siblings are locked first, so two people reordering at once each see the other's move.
    Positions may tie (rows added at once); the list order decides, so the two are renumbered."""
    rows = list(siblings.select_for_update().order_by("position", "id"))
    index = next((i for i, sibling in enumerate(rows) if sibling.pk == row.pk), None)
    other_index = None if index is None else index - 1 if direction == "up" else index + 1
    if other_index is None or not 0 <= other_index < len(rows):
        return None
    this, other = rows[index], rows[other_index]
    first, second = sorted([this.position, other.position])
    if first == second:
        second = first + 1
    this.position, other.position = (first, second) if direction == "up" else (second, first)
    model = type(row)
    model.objects.filter(pk=this.pk).update(position=this.position)
    model.objects.filter(pk=other.pk).update(position=other.position)
    row.position = this.position
    return this


def save_changes(current: models.Model, new: dict, *, also: Iterable[str] = ()) -> list[str]:
    """Write the fields of ``new`` whose values differ from the locked row ``current`` and move
    its version on; also when only ``also`` (changes made elsewhere, such as to a many-to-many
    relation) changed. Returns the changed names (without ``_id``) followed by ``also``; nothing
    is written when both are empty. ``current`` is read again after the write."""
    changed = [name for name, value in new.items() if getattr(current, name) != value]
    also = list(also)
    if changed or also:
        type(current).objects.filter(pk=current.pk).update(
            **{name: new[name] for name in changed}, version=F("version") + 1
        )
        current.refresh_from_db()
    return [name.removesuffix("_id") for name in changed] + also
