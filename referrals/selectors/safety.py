"""Reads about the victim's safety: the case page's safety plan and victim's voice panel."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Prefetch
from django.utils import timezone

from stalking_clinic.access import Perm, can

from ..access import case_sections_for
from ..models import Case, SafetyAction, SafetyActionChange, Share

_FINISHED = {SafetyAction.Status.DONE, SafetyAction.Status.NOT_NEEDED}


@dataclass(frozen=True)
class PlanRow:
    action: SafetyAction
    overdue: bool
    last_change: SafetyActionChange | None


def _plan_order(row: PlanRow):
    # Open actions first, soonest due first (undated after dated); finished ones at the end.
    action = row.action
    return (
        action.status in _FINISHED,
        action.due_date is None,
        action.due_date or datetime.date.max,
        action.pk,
    )


def safety_panel(case: Case, *, user) -> dict:
    """The safety plan and the victim's voice for the case page, in a fixed number of queries.

    A partner agency sees each part only if it was shared with them; only those who may write
    to the whole case may change the plan or record the victim's voice.
    """
    sections = case_sections_for(user, case)
    full = sections.whole
    panel = {
        "show_safety_plan": Share.Section.SAFETY_PLAN in sections,
        "show_victim_voice": Share.Section.VICTIM_VOICE in sections,
        "can_edit_safety_plan": full and can(user, Perm.SAFETY_PLAN),
        "can_record_voice": full and can(user, Perm.VICTIM_VOICE),
        "actions": [],
        "overdue_count": 0,
        "latest_voice": None,
        "earlier_voices": [],
        "earlier_voice_count": 0,
    }
    if panel["show_safety_plan"]:
        today = timezone.localdate()
        actions = SafetyAction.objects.filter(case=case).prefetch_related(
            Prefetch(
                "changes",
                queryset=SafetyActionChange.objects.select_related("changed_by").order_by(
                    "-changed_at", "-id"
                ),
            )
        )
        rows = [
            PlanRow(
                action=action,
                overdue=bool(
                    action.due_date and action.due_date < today and action.status not in _FINISHED
                ),
                last_change=next(iter(action.changes.all()), None),
            )
            for action in actions
        ]
        rows.sort(key=_plan_order)
        panel["actions"] = rows
        panel["overdue_count"] = sum(row.overdue for row in rows)
    if panel["show_victim_voice"]:
        voices = list(
            case.victim_voices.select_related("recorded_by").order_by("-recorded_at", "-id")
        )
        if voices:
            panel["latest_voice"], panel["earlier_voices"] = voices[0], voices[1:]
            panel["earlier_voice_count"] = len(voices) - 1
    return panel
