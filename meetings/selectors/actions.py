"""Reads of meeting actions: a list filtered as the action lists' filters ask (overdue first),
and an action's page (its history, and the case and meeting the viewer may open from it)."""

from __future__ import annotations

import datetime

from django.db.models import BooleanField, Case, Q, QuerySet, Value, When
from django.utils import timezone

from referrals.access import cases_visible_to

from ..access import meetings_visible_to
from ..models import Action

LIST_LIMIT = 200


def actions_listed(
    actions: QuerySet[Action],
    *,
    status: str = "",
    due_before: datetime.date | None = None,
    agency=None,
) -> list[Action]:
    """``actions`` (already limited to what the viewer may see) with the given ``status``
    ("open", "overdue" or "done"; any when empty), due before ``due_before`` and owned by
    ``agency``: overdue first, then open by due date, then closed; up to ``LIST_LIMIT``, each
    marked ``overdue`` and ``closed``. One query."""
    today = timezone.localdate()
    if status == "open":
        actions = actions.filter(status__in=Action.OPEN)
    elif status == "overdue":
        actions = actions.filter(status__in=Action.OPEN, due_on__lt=today)
    elif status == "done":
        actions = actions.filter(status=Action.Status.DONE)
    if due_before:
        actions = actions.filter(due_on__lt=due_before)
    if agency:
        actions = actions.filter(owner_agency=agency)
    open_ = Q(status__in=Action.OPEN)
    actions = (
        actions.select_related("case", "owner_agency", "owner")
        .annotate(
            overdue=Case(
                When(open_ & Q(due_on__lt=today), then=Value(True)),
                default=Value(False),
                output_field=BooleanField(),
            ),
            closed=Case(When(open_, then=Value(False)), default=Value(True)),
        )
        .order_by("-overdue", "closed", "due_on", "id")
    )
    return list(actions[:LIST_LIMIT])


def action_page(user, action: Action) -> dict:
    """What ``user`` sees on ``action``'s page besides the action: whether it is overdue, its
    updates (latest first), and whether they may open its case and the meeting that agreed it."""
    meeting = action.agenda_item.meeting if action.agenda_item_id else None
    return {
        "action": action,
        "overdue": action.is_overdue(timezone.localdate()),
        "updates": action.updates.select_related("by").order_by("-at", "-id"),
        "sees_case": cases_visible_to(user).filter(pk=action.case_id).exists(),
        "meeting": meeting,
        "sees_meeting": meeting is not None
        and meetings_visible_to(user).filter(pk=meeting.pk).exists(),
    }
